using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.Ppc;

/// <summary>
/// A Real Mode Area from KVM_ALLOCATE_RMA (api.txt 4.63): physically contiguous memory from the host's boot-time
/// pool that older POWER processors need for guest real-mode accesses, mapped here. Current kernels report
/// KVM_CAP_PPC_RMA as 0, so this only works on the hosts that had the pool.
/// </summary>
public sealed class PpcRealModeArea : IDisposable
{
    private readonly MemoryMapping _memory;
    private GuestMemoryRegion? _region;
    private bool _disposed;

    private PpcRealModeArea(KvmVm vm, bool required, RmaHandle handle, MemoryMapping memory)
    {
        Vm = vm;
        IsRequiredByHost = required;
        Handle = handle;
        _memory = memory;
    }

    public KvmVm Vm { get; }
    public int VmId => Vm.Id;
    internal RmaHandle Handle { get; }

    /// <summary>KVM_CAP_PPC_RMA was 2: the processor needs an RMA for every guest (no VRMA).</summary>
    public bool IsRequiredByHost { get; }

    /// <summary>The RMA size the kernel fixed at boot (kvm_allocate_rma.rma_size).</summary>
    public ulong Size => _memory.Length;

    /// <summary>Where the RMA is mapped in this process, for a memory slot's userspace_addr.</summary>
    public ulong HostAddress => (ulong)_memory.Address;

    public bool IsRemoved => _disposed;

    /// <summary>The memory slot the RMA backs, once <see cref="AddAsMemoryRegion"/> made one.</summary>
    public GuestMemoryRegion? MemoryRegion => _region is { IsRemoved: false } ? _region : null;

    /// <summary>
    /// Makes the RMA guest memory: a memory slot at <paramref name="guestAddress"/> (normally 0, where real mode
    /// starts) whose userspace_addr is the RMA mapping (api.txt 4.63: "the RMA ... should be mmap()ed and then
    /// used as the backing memory for a memory slot"). One slot per RMA; removing the RMA removes the slot first.
    /// </summary>
    public GuestMemoryRegion AddAsMemoryRegion(ulong guestAddress = 0, int? slot = null)
    {
        if (_disposed)
        {
            throw KvmPSException.InvalidOperation("RmaRemoved", $"The RMA of VM {VmId} has been removed.");
        }
        if (MemoryRegion is { } existing)
        {
            throw new KvmPSException("RmaAlreadyMapped", ErrorKind.ResourceExists,
                $"The RMA of VM {VmId} already backs memory slot {existing.Slot} at 0x{existing.GuestAddress:X}; remove that region first.");
        }
        return _region = Vm.AddMemoryRegion(guestAddress, _memory, slot);
    }

    public static PpcRealModeArea Allocate(KvmVm vm)
    {
        int capability = vm.RequireCapability(KvmCapability.PpcRma, "a Real Mode Area (KVM_ALLOCATE_RMA)");
        var request = new KvmAllocateRma();
        long fd = vm.Descriptor.Ioctl(PpcIoctls.AllocateRma, ref request, errno => errno == Errno.ENOMEM
            ? "The host's boot-time RMA pool has no free area; remove another VM's RMA or reserve more at host boot." : null);
        var handle = FileDescriptorHandle.Adopt<RmaHandle>(vm.Kernel, (int)fd);
        PpcRealModeArea rma;
        try
        {
            rma = new PpcRealModeArea(vm, capability == 2, handle,
                MemoryMapping.OfDescriptor(handle, "mmap(RMA)", request.RmaSize, LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        try
        {
            vm.AddDependent(rma);
        }
        catch
        {
            rma.Release();
            throw;
        }
        return rma;
    }

    private void Release()
    {
        _disposed = true;
        _memory.Dispose();
        Handle.Dispose();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        Vm.RemoveDependent(this);
        if (MemoryRegion is { } region && !Vm.IsDisposed)
        {
            Vm.RemoveMemoryRegion(region);   // the slot must go before its memory is unmapped
        }
        Release();
    }

    public override string ToString() => $"RMA of VM {VmId}, {Size} bytes";
}
