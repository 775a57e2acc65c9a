using System.Runtime.CompilerServices;
using System.Text;
using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Vfio;

/// <summary>
/// An IOMMU group opened through /dev/vfio/&lt;id&gt; and attached to a container; the devices opened from it are
/// closed with it. <see cref="VfioContainer.DetachGroup"/> is the way to remove it.
/// </summary>
public sealed class VfioGroup
{
    private readonly object _gate = new();
    private readonly List<VfioDevice> _devices = [];

    internal VfioGroup(VfioContainer container, int id, string devicePath, VfioGroupHandle handle, VfioGroupInfo? info)
    {
        Container = container;
        Id = id;
        DevicePath = devicePath;
        Handle = handle;
        Info = info;
    }

    public VfioContainer Container { get; }
    public int ContainerId => Container.Id;
    public int Id { get; }
    public string DevicePath { get; }

    /// <summary>The group's devices and drivers as sysfs listed them when the group was opened (null when sysfs has no entry).</summary>
    public VfioGroupInfo? Info { get; }
    public IReadOnlyList<string> DeviceNames => Info?.Devices.Select(d => d.Name).ToArray() ?? [];

    internal VfioGroupHandle Handle { get; }
    public bool IsDetached => Handle.IsClosed;

    /// <summary>The group descriptor, e.g. for KVM_DEV_VFIO_GROUP_ADD.</summary>
    internal VfioGroupHandle Descriptor
    {
        get
        {
            ThrowIfDetached();
            return Handle;
        }
    }

    public IReadOnlyList<VfioDevice> Devices { get { lock (_gate) { return _devices.ToArray(); } } }

    /// <summary>VFIO_GROUP_GET_STATUS, asked now.</summary>
    public VfioGroupFlags Status
    {
        get
        {
            ThrowIfDetached();
            return ReadStatus(Handle);
        }
    }

    internal static VfioGroupFlags ReadStatus(VfioGroupHandle handle)
    {
        var status = new VfioGroupStatusArg { Argsz = (uint)Unsafe.SizeOf<VfioGroupStatusArg>() };
        handle.Ioctl(VfioIoctls.GroupGetStatus, ref status);
        return (VfioGroupFlags)status.Flags;
    }

    /// <summary>
    /// VFIO_GROUP_GET_DEVICE_FD by device name (for PCI the address, e.g. 0000:01:00.0). The container's IOMMU must be set
    /// first. A device this group already opened is returned as is.
    /// </summary>
    public VfioDevice OpenDevice(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            ThrowIfDetached();
            if (_devices.FirstOrDefault(d => d.Name == name) is { } open)
            {
                return open;
            }
            if (Container.IommuType is null)
            {
                throw KvmPSException.InvalidOperation("VfioIommuNotSet",
                    $"VFIO_GROUP_GET_DEVICE_FD needs the container's IOMMU set (vfio.h): set the IOMMU type of container {ContainerId} first.");
            }
            VfioDeviceHandle handle = GetDeviceHandle(name);
            try
            {
                var device = VfioDevice.Describe(this, name, handle);
                _devices.Add(device);
                return device;
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
    }

    private unsafe VfioDeviceHandle GetDeviceHandle(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* pointer = bytes)
        {
            long fd = Handle.Ioctl(VfioIoctls.GroupGetDeviceFd, (nint)pointer, errno => errno switch
            {
                Errno.ENODEV => $"IOMMU group {Id} has no device named '{name}'. Its devices: {(DeviceNames.Count == 0 ? "unknown" : string.Join(", ", DeviceNames))}.",
                Errno.EINVAL => "The group is not viable or the container has no IOMMU set.",
                Errno.EBUSY => "The device is in use elsewhere (or still bound through iommufd).",
                _ => null,
            });
            return FileDescriptorHandle.Adopt<VfioDeviceHandle>(Handle.Kernel, (int)fd);
        }
    }

    internal void RemoveDevice(VfioDevice device)
    {
        lock (_gate)
        {
            _devices.Remove(device);
        }
    }

    /// <summary>Closes the devices and the group descriptor (closing a group's last descriptor also detaches it in the kernel).</summary>
    internal void Close()
    {
        VfioDevice[] devices;
        lock (_gate)
        {
            devices = _devices.ToArray();
            _devices.Clear();
        }
        foreach (VfioDevice device in devices)
        {
            device.Dispose();
        }
        Handle.Dispose();
    }

    private void ThrowIfDetached()
    {
        if (Handle.IsClosed)
        {
            throw KvmPSException.InvalidOperation("VfioGroupRemoved", $"IOMMU group {Id} has been removed from its container.");
        }
    }

    public override string ToString() => $"VFIO group {Id} (container {ContainerId})";
}
