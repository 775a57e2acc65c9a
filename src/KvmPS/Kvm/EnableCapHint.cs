using KvmPS.Interop;

namespace KvmPS.Kvm;

/// <summary>What EINVAL from KVM_ENABLE_CAP means (api.txt 4.37), for a VM and a vCPU alike.</summary>
internal static class EnableCapHint
{
    public static string? For(int errno, KvmCapability capability, string where) => errno == Errno.EINVAL
        ? $"KVM does not enable {KvmNames.KernelName(capability)} on a {where} with these arguments: some capabilities are " +
          "enabled on the VM, others on each vCPU, some only before the first vCPU exists, and each takes its own arguments (api.rst 6 and 7)."
        : null;
}
