namespace KvmPS.Interop.Handles;

// The kinds of descriptor an ioctl is issued on (api.txt section 4's "Type:" line, and vfio.h's per-descriptor
// sections). An ioctl is declared for one of these; KernelCalls accepts it only on a handle that is of that kind, so
// issuing, say, a system ioctl on a VM handle does not compile.

/// <summary>/dev/kvm (api.txt "Type: system ioctl").</summary>
internal interface IKvmSystemDescriptor;

/// <summary>A VM from KVM_CREATE_VM ("Type: vm ioctl").</summary>
internal interface IKvmVmDescriptor;

/// <summary>A vCPU from KVM_CREATE_VCPU ("Type: vcpu ioctl").</summary>
internal interface IKvmVcpuDescriptor;

/// <summary>A device from KVM_CREATE_DEVICE ("Type: device ioctl").</summary>
internal interface IKvmDeviceDescriptor;

/// <summary>KVM_CHECK_EXTENSION: a system ioctl, and a VM ioctl with KVM_CAP_CHECK_EXTENSION_VM (api.txt 4.4).</summary>
internal interface ICheckExtensionDescriptor;

/// <summary>KVM_ENABLE_CAP: a vCPU ioctl, and a VM ioctl with KVM_CAP_ENABLE_CAP_VM (api.txt 4.37).</summary>
internal interface IEnableCapDescriptor;

/// <summary>KVM_GET_MSRS: a vCPU ioctl, and a system ioctl for the feature MSRs with KVM_CAP_GET_MSR_FEATURES (api.txt 4.18).</summary>
internal interface IMsrsDescriptor;

/// <summary>KVM_GET_STATS_FD: a VM and a vCPU ioctl (api.rst 4.133).</summary>
internal interface IStatsDescriptor;

/// <summary>KVM_SET/GET/HAS_DEVICE_ATTR: device ioctls that some architectures also take on VMs and vCPUs (api.txt 4.81).</summary>
internal interface IDeviceAttributeDescriptor;

/// <summary>/dev/vfio/vfio, a VFIO container.</summary>
internal interface IVfioContainerDescriptor;

/// <summary>/dev/vfio/&lt;group&gt;, a VFIO group.</summary>
internal interface IVfioGroupDescriptor;

/// <summary>A VFIO device from VFIO_GROUP_GET_DEVICE_FD.</summary>
internal interface IVfioDeviceDescriptor;
