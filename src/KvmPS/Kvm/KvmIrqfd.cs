using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>
/// An irqfd (KVM_IRQFD, api.txt 4.75): signalling its eventfd raises GSI <see cref="Gsi"/> of the VM's in-kernel
/// irqchip without a KVM_IRQ_LINE. With <see cref="Resample"/> the GSI is level-triggered: KVM keeps it asserted until
/// the guest's EOI, then lowers it and signals the resample eventfd (<see cref="ResampleCount"/>). Owned by its VM.
/// </summary>
public sealed class KvmIrqfd : IDisposable
{
    private readonly KvmEventFd _trigger;
    private readonly KvmEventFd? _resample;
    private bool _disposed;

    private KvmIrqfd(KvmVm vm, uint gsi, KvmEventFd trigger, KvmEventFd? resample)
    {
        Vm = vm;
        Gsi = gsi;
        _trigger = trigger;
        _resample = resample;
    }

    public KvmVm Vm { get; }
    public int VmId => Vm.Id;
    public uint Gsi { get; }
    public bool Resample => _resample is not null;
    public bool IsRemoved => _disposed;

    /// <summary>How many times KVM signalled the resample eventfd (the guest acknowledged the level interrupt); 0 without resampling.</summary>
    public ulong ResampleCount => _resample?.Total ?? 0;

    public static KvmIrqfd Assign(KvmVm vm, uint gsi, bool resample = false)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.Irqfd, "irqfds (KVM_IRQFD)");
        if (resample)
        {
            vm.RequireCapability(KvmCapability.IrqfdResample, "resampling irqfds (KVM_IRQFD_FLAG_RESAMPLE)");
        }
        vm.RequireIrqchip("KVM_IRQFD");
        KvmEventFd trigger = KvmEventFd.Create(vm.Kernel);
        KvmEventFd? resampleFd = null;
        try
        {
            resampleFd = resample ? KvmEventFd.Create(vm.Kernel) : null;
            var request = new KvmIrqfdRequest
            {
                Fd = (uint)trigger.Number,
                Gsi = gsi,
                Flags = resample ? KvmIrqfdRequest.FlagResample : 0,
                ResampleFd = (uint)(resampleFd?.Number ?? 0),
            };
            vm.Descriptor.Ioctl(KvmVmIoctls.Irqfd, ref request, errno => errno switch
            {
                Errno.EBUSY => $"GSI {gsi} already has an irqfd on this eventfd.",
                Errno.EINVAL => $"The kernel refused GSI {gsi}: it must be below the VM's routing table size (KVM_CAP_IRQ_ROUTING).",
                _ => null,
            });
            var irqfd = new KvmIrqfd(vm, gsi, trigger, resampleFd);
            vm.AddDependent(irqfd);
            return irqfd;
        }
        catch
        {
            trigger.Dispose();
            resampleFd?.Dispose();
            throw;
        }
    }

    /// <summary>Raises the GSI: adds 1 to the eventfd's counter, which KVM consumes as one interrupt.</summary>
    public void Signal()
    {
        ThrowIfRemoved();
        _trigger.Signal();
    }

    /// <summary>Detaches the irqfd from the GSI (KVM_IRQFD_FLAG_DEASSIGN) and closes its eventfds.</summary>
    public void Remove()
    {
        ThrowIfRemoved();
        var request = new KvmIrqfdRequest { Fd = (uint)_trigger.Number, Gsi = Gsi, Flags = KvmIrqfdRequest.FlagDeassign };
        Vm.Descriptor.Ioctl(KvmVmIoctls.Irqfd, ref request);
        Vm.RemoveDependent(this);
        Dispose();
    }

    /// <summary>Closes the eventfds; the VM calls it as it closes (its descriptor's release detaches the irqfd).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _trigger.Dispose();
        _resample?.Dispose();
    }

    private void ThrowIfRemoved()
    {
        if (_disposed)
        {
            throw new KvmPSException("IrqfdRemoved", ErrorKind.InvalidOperation, $"{this} was removed (or its VM was); create a new one.");
        }
    }

    public override string ToString() => $"irqfd for GSI {Gsi} of VM {VmId}";
}
