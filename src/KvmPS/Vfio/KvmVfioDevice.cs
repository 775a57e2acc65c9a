using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Vfio;

/// <summary>The KVM-VFIO pseudo device's type and attributes (linux/kvm.h, Documentation/virt/kvm/devices/vfio.rst).</summary>
public static class KvmVfioAttributes
{
    /// <summary>KVM_DEV_TYPE_VFIO.</summary>
    public const uint DeviceType = 4;

    /// <summary>KVM_DEV_VFIO_GROUP, the attribute group.</summary>
    public const uint Group = 1;

    /// <summary>KVM_DEV_VFIO_GROUP_ADD: addr points to an __s32 group fd.</summary>
    public const ulong GroupAdd = 1;

    /// <summary>KVM_DEV_VFIO_GROUP_DEL: addr points to an __s32 group fd.</summary>
    public const ulong GroupDel = 2;

    /// <summary>KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE: addr points to a struct kvm_vfio_spapr_tce.</summary>
    public const ulong GroupSetSpaprTce = 3;
}

/// <summary>
/// The KVM-VFIO device of a VM (one per VM, made with KVM_CREATE_DEVICE on first use): tells KVM which VFIO groups the
/// guest uses, and on POWER links a group to a KVM TCE table so H_PUT_TCE for the assigned device is handled in the kernel.
/// </summary>
public sealed class KvmVfioDevice : IDisposable
{
    private static readonly object s_createGate = new();
    private readonly object _gate = new();
    private readonly List<VfioGroup> _groups = [];
    private readonly List<(VfioGroup Group, int TableFd)> _tceLinks = [];

    private KvmVfioDevice(KvmVm vm, KvmDevice device)
    {
        Vm = vm;
        Device = device;
    }

    /// <summary>The VM's KVM-VFIO device, created (and tied to the VM's lifetime) the first time it is needed.</summary>
    public static KvmVfioDevice For(KvmVm vm)
    {
        lock (s_createGate)
        {
            if (vm.Dependents<KvmVfioDevice>().FirstOrDefault() is { } existing)
            {
                return existing;
            }
            KvmDevice device = vm.CreateDevice(KvmVfioAttributes.DeviceType, "KVM_DEV_TYPE_VFIO", hintFor: errno => errno == Errno.ENODEV
                ? "The host's KVM has no KVM-VFIO device (CONFIG_KVM_VFIO); load the vfio modules or use a kernel built with it." : null);
            var vfio = new KvmVfioDevice(vm, device);
            vm.AddDependent(vfio);
            return vfio;
        }
    }

    /// <summary>The VM's KVM-VFIO device if one was made, without creating it.</summary>
    public static KvmVfioDevice Existing(KvmVm vm) => vm.Dependents<KvmVfioDevice>().FirstOrDefault()
        ?? throw new KvmPSException("KvmVfioDeviceNotFound", ErrorKind.ObjectNotFound,
            $"VM {vm.Id} has no KVM-VFIO device yet: add a group to it first (Add-KvmVfioGroup).");

    public KvmVm Vm { get; }
    public int VmId => Vm.Id;
    public KvmDevice Device { get; }
    public IReadOnlyList<VfioGroup> Groups { get { lock (_gate) { return _groups.ToArray(); } } }
    public IReadOnlyList<int> LinkedTceTableDescriptors { get { lock (_gate) { return _tceLinks.Select(l => l.TableFd).ToArray(); } } }

    /// <summary>KVM_DEV_VFIO_GROUP_ADD with the group's descriptor.</summary>
    public void AddGroup(VfioGroup group)
    {
        lock (_gate)
        {
            if (_groups.Contains(group))
            {
                throw new KvmPSException("KvmVfioGroupAlreadyAdded", ErrorKind.ResourceExists, $"IOMMU group {group.Id} is already known to VM {VmId}'s KVM-VFIO device.");
            }
            int fd = group.Descriptor.Number;
            Device.SetAttribute32(KvmVfioAttributes.Group, KvmVfioAttributes.GroupAdd, fd, errno => errno switch
            {
                Errno.EEXIST => "KVM already tracks this group for the VM.",
                Errno.EBADF or Errno.EINVAL => "The descriptor is not a VFIO group.",
                _ => null,
            });
            _groups.Add(group);
        }
    }

    /// <summary>KVM_DEV_VFIO_GROUP_DEL.</summary>
    public void RemoveGroup(VfioGroup group)
    {
        lock (_gate)
        {
            if (!_groups.Contains(group))
            {
                throw new KvmPSException("KvmVfioGroupNotAdded", ErrorKind.ObjectNotFound, $"IOMMU group {group.Id} was not added to VM {VmId}'s KVM-VFIO device.");
            }
            Device.SetAttribute32(KvmVfioAttributes.Group, KvmVfioAttributes.GroupDel, group.Descriptor.Number);
            _groups.Remove(group);
            _tceLinks.RemoveAll(l => l.Group == group);
        }
    }

    /// <summary>
    /// KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE (POWER, KVM_CAP_SPAPR_TCE_VFIO): links an added group to a KVM TCE table, given by
    /// the table's descriptor (from KVM_CREATE_SPAPR_TCE_64, i.e. New-KvmSpaprTce).
    /// </summary>
    public void SetSpaprTce(VfioGroup group, SafeHandle tableDescriptor)
    {
        ArgumentNullException.ThrowIfNull(tableDescriptor);
        if (Vm.Kernel.Architecture != CpuArchitecture.PowerPC64LE)
        {
            throw new KvmPSException("KvmVfioSpaprTceNotOnArchitecture", ErrorKind.NotImplemented,
                $"KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE exists only on powerpc64le (sPAPR TCE tables); this is {Vm.Kernel.Architecture.UnameName()}.");
        }
        Vm.RequireCapability(KvmCapability.SpaprTceVfio, "accelerated TCE handling for VFIO groups (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE)");
        if (tableDescriptor.IsClosed || tableDescriptor.IsInvalid)
        {
            throw KvmPSException.InvalidArgument("KvmSpaprTceTableClosed", "The TCE table descriptor is closed; create the table again (New-KvmSpaprTce).");
        }
        lock (_gate)
        {
            if (!_groups.Contains(group))
            {
                throw KvmPSException.InvalidOperation("KvmVfioGroupNotAdded",
                    $"IOMMU group {group.Id} must be added to VM {VmId}'s KVM-VFIO device before it is linked to a TCE table (Add-KvmVfioGroup first).");
            }
            bool added = false;
            try
            {
                tableDescriptor.DangerousAddRef(ref added);
                var payload = new KvmVfioSpaprTceArg { GroupFd = group.Descriptor.Number, TableFd = (int)tableDescriptor.DangerousGetHandle() };
                Device.SetAttribute(KvmVfioAttributes.Group, KvmVfioAttributes.GroupSetSpaprTce, ref payload, errno => errno switch
                {
                    Errno.EINVAL => "The descriptor is not a KVM TCE table of this VM.",
                    Errno.ENOENT => "KVM does not track this group for the VM.",
                    Errno.ENXIO => "The host kernel has no sPAPR TCE support for VFIO.",
                    _ => null,
                });
                _tceLinks.Add((group, payload.TableFd));
            }
            finally
            {
                if (added)
                {
                    tableDescriptor.DangerousRelease();
                }
            }
        }
    }

    public void Dispose()
    {
        Vm.RemoveDependent(this);
        Device.Dispose();
    }

    public override string ToString() => $"KVM-VFIO device of VM {VmId}";
}
