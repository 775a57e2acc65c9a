using System.Diagnostics;
using KvmPS.Interop;

namespace KvmPS.Kvm;

/// <summary>
/// Test-KvmHost: a better kvm-ok. Opens the device, checks the API version and the capabilities KvmPS relies on,
/// then boots the embedded guest and compares what it printed. When the device cannot be opened or no VM can be
/// created, the checks that need them are reported as skipped.
/// </summary>
public static class HostCheck
{
    private static readonly (KvmCapability Capability, string Why)[] s_required =
    [
        (KvmCapability.UserMemory, "guest memory from userspace mappings (KVM_SET_USER_MEMORY_REGION)"),
        (KvmCapability.NrMemslots, "memory slot count"),
        (KvmCapability.CheckExtensionVm, "per-VM capability checks"),
        (KvmCapability.ImmediateExit, "interrupting KVM_RUN"),
    ];

    /// <summary>The checks of Test-KvmHost against this host's device node.</summary>
    public static IReadOnlyList<HostCheckResult> Run(string devicePath = KvmSystem.DefaultDevicePath) => Run(KernelInterface.Host, devicePath);

    internal static IReadOnlyList<HostCheckResult> Run(KernelInterface kernel, string devicePath = KvmSystem.DefaultDevicePath)
    {
        var results = new List<HostCheckResult>();
        KvmSystem? system = null;
        try
        {
            system = Check(results, "Device", () =>
            {
                var opened = KvmSystem.Open(kernel, devicePath);
                return (opened, $"{devicePath} opened read-write");
            });
            if (system is null)
            {
                Skip(results, "the device could not be opened", "ApiVersion", "Capabilities", "CreateVm", "GuestBoot");
                return results;
            }
            results.Add(new HostCheckResult("ApiVersion", HostCheckStatus.Passed, $"KVM_GET_API_VERSION = {system.ApiVersion}", TimeSpan.Zero));
            Check(results, "Capabilities", () =>
            {
                string[] missing = s_required.Where(r => system.CheckExtension(r.Capability) <= 0)
                    .Select(r => $"{KvmNames.KernelName(r.Capability)} ({r.Why})").ToArray();
                return missing.Length == 0
                    ? (true, $"{string.Join(", ", s_required.Select(r => KvmNames.KernelName(r.Capability)))} present")
                    : throw new KvmPSException("MissingCapability", ErrorKind.NotImplemented, $"missing: {string.Join("; ", missing)}");
            });
            using var vm = Check(results, "CreateVm", () =>
            {
                var created = KvmVm.Create(system, id: 0);
                return (created, "KVM_CREATE_VM returned a VM descriptor");
            });
            if (vm is null)
            {
                Skip(results, "no VM could be created", "GuestBoot");
            }
            else if (kernel.Architecture != CpuArchitecture.X86_64)
            {
                Skip(results, $"the embedded guest is x86 code; this host is {kernel.Architecture.UnameName()}", "GuestBoot");
            }
            else
            {
                Check(results, "GuestBoot", () =>
                {
                    GuestRun run = EmbeddedGuest.Boot(vm);
                    bool ok = run.Output == EmbeddedGuest.Message && run.FinalExit?.Reason == KvmExitReason.Hlt;
                    return ok
                        ? (true, $"guest printed '{run.Output.TrimEnd()}' on port 0x3f8 in {run.Exits.Count - 1} KVM_EXIT_IO exits, then KVM_EXIT_HLT")
                        : throw new KvmPSException("GuestBootFailed", ErrorKind.DeviceError,
                            $"expected '{EmbeddedGuest.Message.TrimEnd()}' then KVM_EXIT_HLT; got '{run.Output.TrimEnd()}' and {run.FinalExit?.KernelName ?? "no exit"}");
                });
            }
            return results;
        }
        finally
        {
            system?.Dispose();
        }
    }

    public static bool AllPassed(IEnumerable<HostCheckResult> results) => results.All(r => r.Status != HostCheckStatus.Failed);

    private static T? Check<T>(List<HostCheckResult> results, string name, Func<(T Value, string Detail)> check)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            (T value, string detail) = check();
            results.Add(new HostCheckResult(name, HostCheckStatus.Passed, detail, clock.Elapsed));
            return value;
        }
        catch (KvmPSException e)
        {
            results.Add(new HostCheckResult(name, HostCheckStatus.Failed, e.Message, clock.Elapsed));
            return default;
        }
    }

    private static void Skip(List<HostCheckResult> results, string why, params string[] names) =>
        results.AddRange(names.Select(n => new HostCheckResult(n, HostCheckStatus.Skipped, $"skipped: {why}", TimeSpan.Zero)));
}
