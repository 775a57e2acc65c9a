using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm;

/// <summary>The /dev/kvm descriptor: API version, capabilities, and the factory of VMs (api.txt 4.1-4.4).</summary>
public sealed class KvmSystem : IDisposable
{
    /// <summary>api.txt 4.1: "Applications should refuse to run if KVM_GET_API_VERSION returns a value other than 12."</summary>
    public const int SupportedApiVersion = 12;

    public const string DefaultDevicePath = "/dev/kvm";

    private readonly Lazy<int> _vcpuMmapSize;

    private KvmSystem(KernelInterface kernel, string devicePath, KvmSystemHandle handle, int apiVersion)
    {
        Kernel = kernel;
        DevicePath = devicePath;
        Handle = handle;
        ApiVersion = apiVersion;
        _vcpuMmapSize = new(() => (int)Handle.Ioctl(KvmSystemIoctls.GetVcpuMmapSize));
    }

    internal KernelInterface Kernel { get; }
    public string DevicePath { get; }
    public int ApiVersion { get; }
    internal KvmSystemHandle Handle { get; }

    /// <summary>The size of each vCPU's kvm_run mapping (KVM_GET_VCPU_MMAP_SIZE).</summary>
    public int VcpuMmapSize => _vcpuMmapSize.Value;

    /// <summary>Opens the device and refuses an API version other than 12.</summary>
    public static KvmSystem Open(string devicePath = DefaultDevicePath) => Open(KernelInterface.Host, devicePath);

    internal static KvmSystem Open(KernelInterface kernel, string devicePath = DefaultDevicePath)
    {
        KvmSystemHandle handle;
        try
        {
            handle = KernelCalls.OpenDevice<KvmSystemHandle>(kernel, devicePath, LinuxConstants.O_RDWR, _ => null);
        }
        catch (KvmIoctlException e)
        {
            throw DeviceOpenError(devicePath, e);
        }
        int version = (int)handle.Ioctl(KvmSystemIoctls.GetApiVersion);
        if (version != SupportedApiVersion)
        {
            handle.Dispose();
            throw new KvmPSException("KvmApiVersionMismatch", ErrorKind.NotImplemented,
                $"{devicePath} reports KVM API version {version}; KvmPS speaks version {SupportedApiVersion} only (api.txt 4.1) and refuses to use it.");
        }
        return new KvmSystem(kernel, devicePath, handle, version);
    }

    private static KvmPSException DeviceOpenError(string path, KvmIoctlException e) => e.ErrnoValue switch
    {
        Errno.ENOENT or Errno.ENODEV or Errno.ENXIO => new KvmPSException("KvmDeviceNotFound", ErrorKind.NotInstalled,
            $"{path} does not exist ({e.ErrnoName}). Load the KVM module (modprobe kvm_intel or kvm_amd on x86, kvm on other architectures) " +
            "and make sure virtualization is enabled in the firmware.", e),
        Errno.EACCES or Errno.EPERM => new KvmPSException("KvmDeviceAccessDenied", ErrorKind.PermissionDenied,
            $"{path} exists but cannot be opened ({e.ErrnoName}). Add your user to the group that owns it (usually 'kvm': sudo usermod -aG kvm $USER, then log in again) or run as root.", e),
        _ => new KvmPSException($"open.{e.ErrnoName}", KvmIoctlException.KindOf(e.ErrnoValue), $"Cannot open {path}: {e.Message}", e),
    };

    /// <summary>KVM_CHECK_EXTENSION on /dev/kvm: 0 when unsupported, otherwise a capability-specific value.</summary>
    public int CheckExtension(KvmCapability capability) =>
        (int)Handle.Ioctl(KvmSystemIoctls.CheckExtension, (nint)(int)capability);

    public KvmHostInfo Describe() => new(
        ApiVersion,
        Kernel.Architecture.UnameName(),
        VcpuMmapSize,
        RecommendedVcpus(),
        MaxVcpus(),
        MaxMemorySlots(),
        DevicePath,
        Kernel.PageSize);

    /// <summary>KVM_CAP_NR_VCPUS; api.txt 4.4: assume 4 when the capability answers 0.</summary>
    public int RecommendedVcpus() => CheckExtension(KvmCapability.NrVcpus) is > 0 and var recommended ? recommended : 4;

    /// <summary>KVM_CAP_MAX_VCPUS, or the recommended count when the capability answers 0.</summary>
    public int MaxVcpus() => CheckExtension(KvmCapability.MaxVcpus) is > 0 and var max ? max : RecommendedVcpus();

    /// <summary>KVM_CAP_NR_MEMSLOTS, or the historical 32 when the capability answers 0.</summary>
    public int MaxMemorySlots() => CheckExtension(KvmCapability.NrMemslots) is > 0 and var slots ? slots : 32;

    /// <summary>KVM_CREATE_VM with a machine type (0 is the default; on s390 KVM_VM_S390_UCONTROL, on arm64 the IPA size).</summary>
    internal KvmVmHandle CreateVmHandle(ulong machineType, Func<int, string?>? hintFor = null)
    {
        long fd = Handle.Ioctl(KvmSystemIoctls.CreateVm, (nint)machineType, hintFor ?? (errno => errno == Errno.EINVAL ? MachineTypeHint(machineType) : null));
        return FileDescriptorHandle.Adopt<KvmVmHandle>(Kernel, (int)fd);
    }

    /// <summary>What KVM_CREATE_VM's type argument means on this architecture (api.txt 4.2), for its EINVAL.</summary>
    private string MachineTypeHint(ulong machineType) => $"Machine type {machineType} is not one this host's KVM accepts. " + Kernel.Architecture switch
    {
        CpuArchitecture.X86_64 => "x86 takes 0 (the default VM) or a type the host lists in KVM_CAP_VM_TYPES (1 KVM_X86_SW_PROTECTED_VM, 2 SEV, 3 SEV-ES, 4 SEV-SNP, 5 TDX).",
        CpuArchitecture.Aarch64 => "arm64 takes 0 or the guest IPA size in bits (KVM_VM_TYPE_ARM_IPA_SIZE, 32 up to KVM_CAP_ARM_VM_IPA_SIZE).",
        CpuArchitecture.S390x => "s390 takes 0 or 1 (KVM_VM_S390_UCONTROL; use -S390UserControlled).",
        CpuArchitecture.PowerPC64LE => "powerpc takes 0, 1 (KVM_VM_PPC_HV) or 2 (KVM_VM_PPC_PR).",
        _ => "Omit -MachineType for the default VM.",
    };

    public void Dispose() => Handle.Dispose();
}
