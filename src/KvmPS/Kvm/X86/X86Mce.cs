using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.X86;

/// <summary>
/// Machine-check emulation (KVM_CAP_MCE, api.txt 4.105-4.107): the MCG_CAP bits KVM can offer, a vCPU's bank count
/// and capabilities (its IA32_MCG_CAP), and injecting one event into a bank.
/// </summary>
public static class X86Mce
{
    /// <summary>KVM_MAX_MCE_BANKS.</summary>
    public const int MaxBanks = 32;

    /// <summary>MCi_STATUS.VAL: the kernel ignores an event without it (EINVAL).</summary>
    public const ulong StatusValid = 1ul << 63;

    /// <summary>KVM_X86_GET_MCE_CAP_SUPPORTED: the IA32_MCG_CAP feature bits KVM emulates (the bank count field is 0).</summary>
    public static ulong GetSupportedCapabilities(KvmSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (system.CheckExtension(KvmCapability.Mce) <= 0)
        {
            throw KvmPSException.NotSupportedByHost("machine-check emulation (KVM_X86_GET_MCE_CAP_SUPPORTED)", "KVM_CAP_MCE", system.Kernel.Architecture);
        }
        ulong supported = 0;
        system.Handle.Ioctl(KvmSystemIoctls.GetMceCapSupported, ref supported);
        return supported;
    }

    /// <summary>
    /// KVM_X86_SETUP_MCE: gives the vCPU <paramref name="banks"/> banks and the IA32_MCG_CAP feature bits
    /// <paramref name="capabilities"/> (a subset of <see cref="GetSupportedCapabilities"/>; bits 0-7, the count, are
    /// taken from <paramref name="banks"/>). Before the vCPU first runs.
    /// </summary>
    public static void Setup(KvmVcpu vcpu, int banks, ulong capabilities)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        if (banks is < 1 or > MaxBanks)
        {
            throw KvmPSException.InvalidArgument("InvalidMceBankCount", $"A vCPU has 1 to {MaxBanks} machine-check banks; got {banks}.");
        }
        if ((capabilities & 0xff) != 0)
        {
            throw KvmPSException.InvalidArgument("InvalidMceCapabilities",
                $"Capabilities 0x{capabilities:X} sets bits 0-7, which are IA32_MCG_CAP's bank count; give the count as the number of banks.");
        }
        vcpu.Vm.RequireCapability(KvmCapability.Mce, "machine-check emulation (KVM_X86_SETUP_MCE)");
        ulong mcgCap = capabilities | (uint)banks;
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.SetupMce, ref mcgCap, errno => errno == Errno.EINVAL
            ? $"KVM refused IA32_MCG_CAP 0x{mcgCap:X}: a feature bit it does not emulate (see KVM_X86_GET_MCE_CAP_SUPPORTED)."
            : null));
    }

    /// <summary>
    /// KVM_X86_SET_MCE: records an event in bank <paramref name="bank"/> (MCi_STATUS, _ADDR, _MISC) and sets
    /// IA32_MCG_STATUS; an uncorrected one (MCi_STATUS.UC) with MCG_STATUS.MCIP raises #MC in the guest.
    /// </summary>
    public static void Inject(KvmVcpu vcpu, byte bank, ulong status, ulong address = 0, ulong misc = 0, ulong mcgStatus = 0)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        if ((status & StatusValid) == 0)
        {
            throw KvmPSException.InvalidArgument("MceStatusNotValid",
                $"MCi_STATUS 0x{status:X} lacks the VAL bit (bit 63); KVM ignores such an event. Set bit 63 (0x8000000000000000).");
        }
        vcpu.Vm.RequireCapability(KvmCapability.Mce, "machine-check emulation (KVM_X86_SET_MCE)");
        var mce = new KvmX86Mce { Status = status, Addr = address, Misc = misc, McgStatus = mcgStatus, Bank = bank };
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.SetMce, ref mce, errno => errno == Errno.EINVAL
            ? $"Bank {bank} does not exist on this vCPU: set up machine-check emulation with more banks first (KVM_X86_SETUP_MCE)."
            : null));
    }
}
