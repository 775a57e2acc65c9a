using System.Runtime.CompilerServices;
using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Vfio;

/// <summary>A region of a VFIO device (for vfio-pci: BARs, ROM, config space, VGA) from VFIO_DEVICE_GET_REGION_INFO.</summary>
public sealed record VfioRegion(int Index, string Name, VfioRegionFlags Flags, ulong Size, ulong Offset)
{
    public bool CanMmap => Flags.HasFlag(VfioRegionFlags.Mmap);
}

/// <summary>An interrupt index of a VFIO device (for vfio-pci: INTx, MSI, MSI-X, ERR, REQ) from VFIO_DEVICE_GET_IRQ_INFO.</summary>
public sealed record VfioIrq(int Index, string Name, VfioIrqFlags Flags, int Count);

/// <summary>
/// A device opened with VFIO_GROUP_GET_DEVICE_FD, described once with VFIO_DEVICE_GET_INFO, REGION_INFO and IRQ_INFO.
/// Each query passes argsz = sizeof(struct); a larger argsz reported back offers a capability chain, which KvmPS ignores.
/// </summary>
public sealed class VfioDevice : IDisposable
{
    private static readonly string[] s_pciRegionNames = ["BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "ROM", "CONFIG", "VGA"];
    private static readonly string[] s_pciIrqNames = ["INTX", "MSI", "MSIX", "ERR", "REQ"];

    private VfioDevice(VfioGroup group, string name, VfioDeviceHandle handle, VfioDeviceFlags flags, IReadOnlyList<VfioRegion> regions,
        IReadOnlyList<VfioIrq> irqs, int regionCount, int irqCount)
    {
        Group = group;
        Name = name;
        Handle = handle;
        Flags = flags;
        Regions = regions;
        Irqs = irqs;
        RegionCount = regionCount;
        IrqCount = irqCount;
    }

    internal static VfioDevice Describe(VfioGroup group, string name, VfioDeviceHandle handle)
    {
        var info = new VfioDeviceInfoArg { Argsz = (uint)Unsafe.SizeOf<VfioDeviceInfoArg>() };
        handle.Ioctl(VfioIoctls.DeviceGetInfo, ref info);
        var flags = (VfioDeviceFlags)info.Flags;
        bool pci = flags.HasFlag(VfioDeviceFlags.Pci);
        var regions = new List<VfioRegion>();
        for (uint index = 0; index < info.NumRegions; index++)
        {
            var region = new VfioRegionInfoArg { Argsz = (uint)Unsafe.SizeOf<VfioRegionInfoArg>(), Index = index };
            if (TryQuery(handle, VfioIoctls.DeviceGetRegionInfo, ref region))
            {
                regions.Add(new VfioRegion((int)index, NameOf(pci, s_pciRegionNames, index, "REGION"), (VfioRegionFlags)region.Flags, region.Size, region.Offset));
            }
        }
        var irqs = new List<VfioIrq>();
        for (uint index = 0; index < info.NumIrqs; index++)
        {
            var irq = new VfioIrqInfoArg { Argsz = (uint)Unsafe.SizeOf<VfioIrqInfoArg>(), Index = index };
            if (TryQuery(handle, VfioIoctls.DeviceGetIrqInfo, ref irq))
            {
                irqs.Add(new VfioIrq((int)index, NameOf(pci, s_pciIrqNames, index, "IRQ"), (VfioIrqFlags)irq.Flags, (int)irq.Count));
            }
        }
        return new VfioDevice(group, name, handle, flags, regions, irqs, (int)info.NumRegions, (int)info.NumIrqs);
    }

    /// <summary>Indexes a driver does not implement (e.g. device-specific ones) answer EINVAL and are left out.</summary>
    private static unsafe bool TryQuery<T>(VfioDeviceHandle handle, IoctlDefinition<IVfioDeviceDescriptor> ioctl, ref T argument) where T : unmanaged
    {
        fixed (T* pointer = &argument)
        {
            long result = handle.TryIoctl(ioctl, (nint)pointer);
            if (result == -Errno.EINVAL)
            {
                return false;
            }
            if (result < 0)
            {
                throw new KvmIoctlException(ioctl.Name, (int)-result);
            }
            return true;
        }
    }

    private static string NameOf(bool pci, string[] names, uint index, string prefix) =>
        pci && index < names.Length ? names[index] : $"{prefix}{index}";

    public VfioGroup Group { get; }
    public int GroupId => Group.Id;
    public int ContainerId => Group.ContainerId;

    /// <summary>The name given to VFIO_GROUP_GET_DEVICE_FD (the PCI address for vfio-pci).</summary>
    public string Name { get; }
    public VfioDeviceFlags Flags { get; }
    public bool IsPci => Flags.HasFlag(VfioDeviceFlags.Pci);
    public bool SupportsReset => Flags.HasFlag(VfioDeviceFlags.Reset);

    /// <summary>VFIO_DEVICE_FLAGS_CAPS: the device offers a capability chain (not decoded by KvmPS).</summary>
    public bool HasCapabilities => Flags.HasFlag(VfioDeviceFlags.Capabilities);
    public int RegionCount { get; }
    public int IrqCount { get; }
    public IReadOnlyList<VfioRegion> Regions { get; }
    public IReadOnlyList<VfioIrq> Irqs { get; }
    public bool IsClosed => Handle.IsClosed;

    internal VfioDeviceHandle Handle { get; }

    internal VfioDeviceHandle Descriptor
    {
        get
        {
            ThrowIfClosed();
            return Handle;
        }
    }

    /// <summary>VFIO_DEVICE_RESET; only for devices that report VFIO_DEVICE_FLAGS_RESET.</summary>
    public void Reset()
    {
        ThrowIfClosed();
        if (!SupportsReset)
        {
            throw new KvmPSException("VfioDeviceResetNotSupported", ErrorKind.NotImplemented,
                $"Device {Name} does not support reset: VFIO_DEVICE_GET_INFO did not report VFIO_DEVICE_FLAGS_RESET (no FLR, PM or bus reset is available to it).");
        }
        Handle.Ioctl(VfioIoctls.DeviceReset, 0, errno => errno == Errno.EAGAIN ? "The device is busy; try again." : null);
    }

    private void ThrowIfClosed()
    {
        if (Handle.IsClosed)
        {
            throw KvmPSException.InvalidOperation("VfioDeviceClosed", $"VFIO device {Name} has been closed.");
        }
    }

    /// <summary>Closes the device descriptor; the group can then be removed from its container.</summary>
    public void Dispose()
    {
        Group.RemoveDevice(this);
        Handle.Dispose();
    }

    public override string ToString() => $"VFIO device {Name} (group {GroupId})";
}
