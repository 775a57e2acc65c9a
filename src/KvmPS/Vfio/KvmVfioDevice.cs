using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Structs;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

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
    private readonly List<(VfioGroup Group, SpaprTceTable Table, int TableFd)> _tceLinks = [];

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
            $"VM {vm.Id} has no KVM-VFIO device yet: it is made when the first group is added.");

    public KvmVm Vm { get; }
    public int VmId => Vm.Id;
    public KvmDevice Device { get; }
    public IReadOnlyList<VfioGroup> Groups { get { lock (_gate) { return _groups.ToArray(); } } }
    public IReadOnlyList<int> LinkedTceTableDescriptors
    {
        get { lock (_gate) { return _tceLinks.Where(l => !l.Table.IsRemoved).Select(l => l.TableFd).ToArray(); } }
    }

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
            Unlink(l => l.Group == group);   // kvm_vfio_file_del releases the group's TCE links (kvm_spapr_tce_release_iommu_group)
        }
    }

    /// <summary>Links an added group to one of this VM's KVM TCE tables (see the descriptor overload).</summary>
    public void SetSpaprTce(VfioGroup group, SpaprTceTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        SetSpaprTce(group, table.Handle);
    }

    /// <summary>
    /// KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE (POWER, KVM_CAP_SPAPR_TCE_VFIO): links an added group to a KVM TCE table of this
    /// VM, given by the table's descriptor (from KVM_CREATE_SPAPR_TCE_64, i.e. New-KvmSpaprTce), so that the guest's
    /// H_PUT_TCE for the group's devices is handled in the kernel. The kernel (kvm_spapr_tce_attach_iommu_group) needs a
    /// hardware window of the group that matches the table; that is checked first, and a pending default window is made.
    /// Once linked, the table's mapping is read-only to KvmPS (see <see cref="SpaprTceTable.IsLinkedToVfio"/>).
    /// </summary>
    internal void SetSpaprTce(VfioGroup group, SafeHandle tableDescriptor)
    {
        ArgumentNullException.ThrowIfNull(tableDescriptor);
        if (Vm.Kernel.Architecture != CpuArchitecture.PowerPC64LE)
        {
            throw new KvmPSException("KvmVfioSpaprTceNotOnArchitecture", ErrorKind.NotImplemented,
                $"KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE exists only on powerpc64le (sPAPR TCE tables); this is {Vm.Kernel.Architecture.UnameName()}.");
        }
        Vm.RequireCapability(KvmCapability.SpaprTceVfio, "accelerated TCE handling for VFIO groups (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE)");
        ArgumentNullException.ThrowIfNull(group);
        if (tableDescriptor.IsClosed || tableDescriptor.IsInvalid)
        {
            throw KvmPSException.InvalidArgument("KvmSpaprTceTableClosed", "The TCE table descriptor is closed; create the table again.");
        }
        lock (_gate)
        {
            // kvm_vfio_file_set_spapr_tce looks for the group on the device's list first (ENOENT) ...
            if (!_groups.Contains(group))
            {
                throw KvmPSException.InvalidOperation("KvmVfioGroupNotAdded",
                    $"IOMMU group {group.Id} must be added to VM {VmId}'s KVM-VFIO device before it is linked to a TCE table.");
            }
            // ... then kvm_spapr_tce_attach_iommu_group wants one of this VM's tables (EINVAL) and a matching hardware table (EINVAL).
            SpaprTceTable table = FindTable(tableDescriptor)
                ?? throw KvmPSException.InvalidArgument("KvmSpaprTceTableNotFound",
                    $"The descriptor is not a KVM TCE table of VM {VmId} (the kernel would answer EINVAL): pass the Handle of a table made for this VM.");
            group.Container.PrepareKvmTceLink(group, table.Window);
            bool added = false;
            try
            {
                tableDescriptor.DangerousAddRef(ref added);
                var payload = new KvmVfioSpaprTceArg { GroupFd = group.Descriptor.Number, TableFd = (int)tableDescriptor.DangerousGetHandle() };
                Device.SetAttribute(KvmVfioAttributes.Group, KvmVfioAttributes.GroupSetSpaprTce, ref payload, errno => errno switch
                {
                    Errno.EBADF => "The group's or the table's descriptor is not open in this process any more.",
                    Errno.ENOENT => $"KVM's VFIO device does not list IOMMU group {group.Id} (it was removed behind KvmPS's back?); the kernel checks " +
                        "this before it looks at the table. Remove the group from the VM and add it again.",
                    Errno.EINVAL => "The table is not a KVM TCE table of this VM, or no hardware DMA window of the group matches it (IOMMU page no " +
                        "larger than the table's, the same bus start, at least its size).",
                    Errno.ENXIO => "The host kernel has no sPAPR TCE support for VFIO (CONFIG_SPAPR_TCE_IOMMU).",
                    _ => null,
                });
                if (!_tceLinks.Any(l => l.Group == group && l.Table == table))
                {
                    _tceLinks.Add((group, table, payload.TableFd));   // the kernel counts a repeated link once (kref)
                }
                table.AddVfioLink(group.Id);
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

    private SpaprTceTable? FindTable(SafeHandle descriptor) => Vm.Dependents<SpaprTceTable>().FirstOrDefault(t =>
        ReferenceEquals(t.Handle, descriptor) || (!t.Handle.IsClosed && t.Handle.DangerousGetHandle() == descriptor.DangerousGetHandle()));

    private void Unlink(Func<(VfioGroup Group, SpaprTceTable Table, int TableFd), bool> which)
    {
        foreach (var link in _tceLinks.Where(which).ToArray())
        {
            _tceLinks.Remove(link);
            link.Table.RemoveVfioLink(link.Group.Id);
        }
    }

    /// <summary>Closing the device releases every group and with them every TCE link (kvm_vfio_release).</summary>
    public void Dispose()
    {
        Vm.RemoveDependent(this);
        Device.Dispose();
        lock (_gate)
        {
            Unlink(_ => true);
        }
    }

    public override string ToString() => $"KVM-VFIO device of VM {VmId}";
}
