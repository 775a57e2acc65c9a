using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Bench;

/// <summary>
/// The KvmPS side of the benchmarks: a VM with one page at 0x1000 holding <c>mov dx,0x3f8; l: out dx,al; jmp l</c>
/// and one real-mode vCPU at its start, built through the object model the cmdlets use. Every Run is one
/// KVM_EXIT_IO. The C reference builds the same guest.
/// </summary>
internal sealed class SpinningGuest : IDisposable
{
    public static readonly byte[] Code =
    [
        0xBA, 0xF8, 0x03,   // mov dx, 0x3f8
        0xEE,               // l: out dx, al
        0xEB, 0xFD,         // jmp l
    ];

    private readonly KvmSession _session;

    private SpinningGuest(KvmSession session, KvmVcpu vcpu)
    {
        _session = session;
        Vcpu = vcpu;
    }

    public KvmSystem System => _session.System;
    public KvmVcpu Vcpu { get; }

    public static SpinningGuest Start()
    {
        var session = new KvmSession(KernelInterface.Host);
        try
        {
            KvmVm vm = session.CreateVm();
            GuestMemoryRegion page = vm.AddMemoryRegion(EmbeddedGuest.LoadAddress, (ulong)vm.Kernel.PageSize);
            page.Write(EmbeddedGuest.LoadAddress, Code);
            KvmVcpu vcpu = vm.CreateVcpu();
            vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(EmbeddedGuest.LoadAddress));
            return new SpinningGuest(session, vcpu);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Dispose() => _session.Dispose();
}
