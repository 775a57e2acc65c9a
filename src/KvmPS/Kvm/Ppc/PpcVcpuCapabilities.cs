using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.Ppc;

/// <summary>
/// The powerpc capabilities enabled per vCPU with KVM_ENABLE_CAP on the vCPU descriptor (api.txt 6.1-6.3),
/// issued on the vCPU's own thread.
/// </summary>
public static class PpcVcpuCapabilities
{
    /// <summary>KVM_CAP_PPC_PAPR: the vCPU runs a PAPR (sPAPR/pseries) guest; hcalls the kernel leaves exit as KVM_EXIT_PAPR_HCALL.</summary>
    public static void EnablePapr(KvmVcpu vcpu) =>
        Enable(vcpu, KvmCapability.PpcPapr, "PAPR guests (KVM_CAP_PPC_PAPR)", default);

    /// <summary>KVM_CAP_PPC_OSI: the guest's OSI hypercalls (Mac-on-Linux) exit to userspace as KVM_EXIT_OSI.</summary>
    public static void EnableOsi(KvmVcpu vcpu) =>
        Enable(vcpu, KvmCapability.PpcOsi, "OSI hypercall exits (KVM_CAP_PPC_OSI)", default);

    internal static void Enable(KvmVcpu vcpu, KvmCapability capability, string what, KvmEnableCap request)
    {
        vcpu.Vm.RequireCapability(capability, what);
        request.Cap = (uint)capability;
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVmIoctls.EnableCap, ref request, errno => errno == Errno.EINVAL
            ? $"The kernel refused {KvmNames.KernelName(capability)} for {vcpu}: check that the vCPU has not run yet and that the arguments suit this host." : null));
    }
}
