using System.Runtime.InteropServices;

namespace KvmPS.Kvm;

/// <summary>struct kvm_enable_cap.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmEnableCap
{
    public uint Cap;
    public uint Flags;
    public fixed ulong Args[4];
    public fixed byte Pad[64];

    /// <summary>What EINVAL from KVM_ENABLE_CAP means (api.txt 4.37): the capability cannot be enabled on that descriptor, or its arguments are wrong.</summary>
    public static string? Hint(int errno, KvmCapability capability, string where) => errno == Interop.Errno.EINVAL
        ? $"KVM does not enable {KvmNames.KernelName(capability)} on a {where} with these arguments: some capabilities are " +
          "enabled on the VM, others on each vCPU, some only before the first vCPU exists, and each takes its own arguments (api.rst 6 and 7)."
        : null;

    public static KvmEnableCap For(KvmCapability capability, ReadOnlySpan<ulong> args, uint flags)
    {
        if (args.Length > 4)
        {
            throw new ArgumentException("KVM_ENABLE_CAP takes at most four arguments.", nameof(args));
        }
        var request = new KvmEnableCap { Cap = (uint)capability, Flags = flags };
        for (int i = 0; i < args.Length; i++)
        {
            request.Args[i] = args[i];
        }
        return request;
    }
}
