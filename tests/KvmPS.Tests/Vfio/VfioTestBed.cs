using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Tests.Doubles;
using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

/// <summary>A kernel double with /dev/kvm and VFIO, a fake sysfs root, and leak checks.</summary>
internal sealed class VfioTestBed : IDisposable
{
    public const int Type1 = 1, SpaprTce = 2, Type1v2 = 3, SpaprTceV2 = 7;

    private VfioTestBed(CpuArchitecture arch, int pageSize, int[] iommuTypes)
    {
        (Kernel, Kvm, Vfio) = VfioDouble.Create(arch, pageSize, iommuTypes);
        SysfsRoot = Path.Combine(Path.GetTempPath(), "kvmps-vfio-" + Guid.NewGuid().ToString("N"));
    }

    public static VfioTestBed X86() => new(CpuArchitecture.X86_64, LinuxConstants.PageSize, [Type1, Type1v2]);

    /// <summary>A POWER host with sPAPR TCE VFIO; <paramref name="pageSize"/> is its PAGE_SIZE (64 KiB on most POWER hosts).</summary>
    public static VfioTestBed Power(int pageSize = LinuxConstants.PageSize) => new(CpuArchitecture.PowerPC64LE, pageSize, [SpaprTce, SpaprTceV2]);

    public KernelDouble Kernel { get; }
    public KvmDouble Kvm { get; }
    public VfioDouble Vfio { get; }
    public string SysfsRoot { get; }

    public VfioContainer Open() => VfioContainer.Open(Kernel.Kernel, 1, VfioDouble.ContainerPath, SysfsRoot);

    public static VfioDeviceSpec Pci(string name, bool reset = true, uint capabilityBytes = 0) =>
        new(name, reset ? 0b11u : 0b10u, CapabilityBytes: capabilityBytes);

    /// <summary>A container with one viable group attached and the IOMMU set.</summary>
    public (VfioContainer Container, VfioGroup Group) Ready(int iommuType, int groupId = 7, string device = "0000:01:00.0")
    {
        Vfio.AddGroup(groupId, viable: true, Pci(device));
        VfioContainer container = Open();
        VfioGroup group = container.AttachGroup(groupId);
        container.SetIommu((VfioIommuType)iommuType);
        return (container, group);
    }

    public KvmSession Session() => new(Kernel.Kernel, KvmDouble.DevicePath);

    public void AssertNoLeaks()
    {
        Assert.Equal(0, Kernel.OpenDescriptors);
        Assert.Equal(0, Kernel.LiveMappings);
    }

    public void Dispose()
    {
        Kernel.Dispose();
        if (Directory.Exists(SysfsRoot))
        {
            Directory.Delete(SysfsRoot, recursive: true);
        }
    }
}
