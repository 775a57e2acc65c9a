using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using static KvmPS.Interop.Ioctls.IoctlsOn<KvmPS.Interop.Handles.IKvmSystemDescriptor>;
using static KvmPS.Interop.Ioctls.KvmIoctlType;

namespace KvmPS.Interop.Ioctls;

/// <summary>ioctls on the /dev/kvm descriptor (api.txt 4.1-4.4).</summary>
internal static class KvmSystemIoctls
{
    public static readonly IoctlDefinition<IKvmSystemDescriptor> GetApiVersion = IO(Kvmio, "KVM_GET_API_VERSION", 0x00);
    public static readonly IoctlDefinition<IKvmSystemDescriptor> CreateVm = IO(Kvmio, "KVM_CREATE_VM", 0x01);

    /// <summary>Also a VM ioctl where KVM_CAP_CHECK_EXTENSION_VM is present (api.txt 4.4).</summary>
    public static readonly IoctlDefinition<ICheckExtensionDescriptor> CheckExtension = IoctlsOn<ICheckExtensionDescriptor>.IO(Kvmio, "KVM_CHECK_EXTENSION", 0x03);
    public static readonly IoctlDefinition<IKvmSystemDescriptor> GetVcpuMmapSize = IO(Kvmio, "KVM_GET_VCPU_MMAP_SIZE", 0x04);

    /// <summary>x86 only: its struct exists only in x86's asm/kvm.h (api.txt 4.46).</summary>
    public static readonly IoctlDefinition<IKvmSystemDescriptor> GetSupportedCpuid = IOWR(Kvmio, "KVM_GET_SUPPORTED_CPUID", 0x05, X86Structs.Cpuid2);

    /// <summary>x86 only (kvm_msr_list): the MSRs KVM_GET_MSRS/KVM_SET_MSRS handle; E2BIG with nmsrs set when too small (api.txt 4.3).</summary>
    public static readonly IoctlDefinition<IKvmSystemDescriptor> GetMsrIndexList = IOWR(Kvmio, "KVM_GET_MSR_INDEX_LIST", 0x02, X86StateStructs.MsrList);

    /// <summary>x86 only: the feature MSRs KVM_GET_MSRS reads on the /dev/kvm descriptor (api.txt 4.3, KVM_CAP_GET_MSR_FEATURES).</summary>
    public static readonly IoctlDefinition<IKvmSystemDescriptor> GetMsrFeatureIndexList = IOWR(Kvmio, "KVM_GET_MSR_FEATURE_INDEX_LIST", 0x0a, X86StateStructs.MsrList);

    /// <summary>The MCG_CAP bits KVM supports (KVM_CAP_MCE, api.txt 4.105); the number is defined everywhere, x86 answers.</summary>
    public static readonly IoctlDefinition<IKvmSystemDescriptor> GetMceCapSupported = IOR(Kvmio, "KVM_X86_GET_MCE_CAP_SUPPORTED", 0x9d, CPrimitive.U64);
}
