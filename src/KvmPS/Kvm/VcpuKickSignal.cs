using System.Runtime.InteropServices;

namespace KvmPS.Kvm;

/// <summary>
/// A signal only interrupts KVM_RUN if it has a handler (an ignored signal is never made pending). SIGWINCH is
/// ignored by default; registering a no-op .NET handler installs the runtime's native handler, so a SIGWINCH sent
/// to a vCPU thread ends its KVM_RUN with EINTR and is otherwise harmless.
/// </summary>
internal static class VcpuKickSignal
{
    private static readonly Lazy<PosixSignalRegistration?> s_registration = new(() =>
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            return PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => { });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    });

    public static void EnsureHandled() => _ = s_registration.Value;
}
