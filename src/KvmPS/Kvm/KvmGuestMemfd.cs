using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>
/// A guest_memfd from KVM_CREATE_GUEST_MEMFD (Linux 6.8, api.rst 4.142): a file of guest memory bound to its VM,
/// which KVM_SET_USER_MEMORY_REGION2 attaches to memory slots (KVM_MEM_GUEST_MEMFD). It lives as long as the VM
/// or until removed; a slot that uses it keeps the kernel's own reference.
/// </summary>
public sealed class KvmGuestMemfd : IDisposable
{
    private bool _disposed;

    private KvmGuestMemfd(KvmVm vm, ulong size, GuestMemfdHandle handle)
    {
        Vm = vm;
        Size = size;
        Handle = handle;
    }

    public KvmVm Vm { get; }
    public int VmId => Vm.Id;
    public ulong Size { get; }
    internal GuestMemfdHandle Handle { get; }
    public bool IsRemoved => _disposed;

    /// <summary>KVM_CREATE_GUEST_MEMFD with flags 0: <paramref name="size"/> bytes, a multiple of the page size.</summary>
    public static KvmGuestMemfd Create(KvmVm vm, ulong size)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.GuestMemfd, "guest_memfd (KVM_CREATE_GUEST_MEMFD)");
        ulong page = (ulong)vm.Kernel.PageSize;
        if (size == 0 || size % page != 0)
        {
            throw KvmPSException.InvalidArgument("InvalidGuestMemfdSize", $"A guest_memfd is a non-zero multiple of the {page}-byte page size; got 0x{size:X}.");
        }
        var request = new KvmCreateGuestMemfd { Size = size };
        long fd = vm.Descriptor.Ioctl(KvmVmIoctls.CreateGuestMemfd, ref request, errno => errno == Errno.EINVAL
            ? "This VM's type does not support guest_memfd, or the size is not page-aligned." : null);
        var memfd = new KvmGuestMemfd(vm, size, FileDescriptorHandle.Adopt<GuestMemfdHandle>(vm.Kernel, (int)fd));
        try
        {
            vm.AddDependent(memfd);
        }
        catch
        {
            memfd.Handle.Dispose();
            throw;
        }
        return memfd;
    }

    /// <summary>Throws unless this guest_memfd belongs to <paramref name="vm"/> and is not removed.</summary>
    internal void RequireUsableBy(KvmVm vm)
    {
        if (_disposed)
        {
            throw KvmPSException.InvalidOperation("GuestMemfdRemoved", $"This guest_memfd of VM {VmId} has been removed.");
        }
        if (!ReferenceEquals(vm, Vm))
        {
            throw KvmPSException.InvalidArgument("GuestMemfdOfAnotherVm",
                $"This guest_memfd belongs to VM {VmId}; KVM binds a guest_memfd to the VM that created it, not VM {vm.Id}.");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Vm.RemoveDependent(this);
        Handle.Dispose();
    }

    public override string ToString() => $"guest_memfd of VM {VmId} ({Size} bytes)";
}
