using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>
/// An ioeventfd (KVM_IOEVENTFD, api.txt 4.59): a guest write to <see cref="Address"/> (a port with <see cref="Pio"/>,
/// else MMIO) of <see cref="Length"/> bytes, and equal to <see cref="DataMatch"/> when that is set, signals the eventfd
/// inside the kernel instead of exiting to userspace. Owned by its VM.
/// </summary>
public sealed class KvmIoeventfd : IDisposable
{
    private readonly KvmEventFd _eventFd;
    private bool _disposed;

    private KvmIoeventfd(KvmVm vm, ulong address, uint length, bool pio, ulong? dataMatch, KvmEventFd eventFd)
    {
        Vm = vm;
        Address = address;
        Length = length;
        Pio = pio;
        DataMatch = dataMatch;
        _eventFd = eventFd;
    }

    public KvmVm Vm { get; }
    public int VmId => Vm.Id;
    public ulong Address { get; }
    public uint Length { get; }
    public bool Pio { get; }
    public ulong? DataMatch { get; }
    public bool IsRemoved => _disposed;

    /// <summary>How many matching writes fired it so far, read from the eventfd without blocking.</summary>
    public ulong Count => _eventFd.Total;

    public static KvmIoeventfd Assign(KvmVm vm, ulong address, uint length, bool pio = false, ulong? dataMatch = null)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.Ioeventfd, "ioeventfds (KVM_IOEVENTFD)");
        if (length is not (0 or 1 or 2 or 4 or 8))
        {
            throw new KvmPSException("InvalidIoeventfdLength", ErrorKind.InvalidArgument, $"An ioeventfd watches writes of 1, 2, 4 or 8 bytes (or 0: any length); got {length}.",
                recommendedAction: "Give -Length 1, 2, 4 or 8: the width of the guest's write.");
        }
        if (length == 0)
        {
            // api.txt 4.59: length 0 matches any write length, so there is no value to compare (KVM_CAP_IOEVENTFD_NO_LENGTH).
            vm.RequireCapability(KvmCapability.IoeventfdNoLength, "ioeventfds of any length");
            if (dataMatch is not null)
            {
                throw new KvmPSException("DataMatchNeedsLength", ErrorKind.InvalidArgument, "An ioeventfd of length 0 matches any write, so it cannot match data.",
                    recommendedAction: "Give the write's -Length (1, 2, 4 or 8) with -DataMatch.");
            }
        }
        if (pio && address > ushort.MaxValue)
        {
            throw new KvmPSException("InvalidPort", ErrorKind.InvalidArgument, $"Port 0x{address:X} does not exist; x86 ports are 0x0-0xFFFF.",
                recommendedAction: "Give a port from 0 to 0xFFFF, or omit -Pio for an MMIO address.");
        }
        KvmEventFd eventFd = KvmEventFd.Create(vm.Kernel);
        try
        {
            var request = Request(address, length, pio, dataMatch, eventFd, deassign: false);
            vm.Descriptor.Ioctl(KvmVmIoctls.Ioeventfd, ref request, errno => errno == Errno.EEXIST
                ? $"An ioeventfd already watches {(pio ? "port" : "address")} 0x{address:X} with the same length and data match."
                : null);
            var ioeventfd = new KvmIoeventfd(vm, address, length, pio, dataMatch, eventFd);
            vm.AddDependent(ioeventfd);
            return ioeventfd;
        }
        catch
        {
            eventFd.Dispose();
            throw;
        }
    }

    /// <summary>Detaches it from the address (KVM_IOEVENTFD_FLAG_DEASSIGN with the same match) and closes the eventfd.</summary>
    public void Remove()
    {
        if (_disposed)
        {
            throw new KvmPSException("IoeventfdRemoved", ErrorKind.InvalidOperation, $"{this} was removed (or its VM was); create a new one.");
        }
        var request = Request(Address, Length, Pio, DataMatch, _eventFd, deassign: true);
        Vm.Descriptor.Ioctl(KvmVmIoctls.Ioeventfd, ref request);
        Vm.RemoveDependent(this);
        Dispose();
    }

    private static KvmIoeventfdRequest Request(ulong address, uint length, bool pio, ulong? dataMatch, KvmEventFd eventFd, bool deassign) => new()
    {
        DataMatch = dataMatch ?? 0,
        Addr = address,
        Len = length,
        Fd = eventFd.Number,
        Flags = (dataMatch is null ? 0 : KvmIoeventfdRequest.FlagDatamatch)
            | (pio ? KvmIoeventfdRequest.FlagPio : 0)
            | (deassign ? KvmIoeventfdRequest.FlagDeassign : 0),
    };

    /// <summary>Closes the eventfd; the VM calls it as it closes.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _eventFd.Dispose();
        }
    }

    public override string ToString() => $"ioeventfd on {(Pio ? "port" : "MMIO")} 0x{Address:X} of VM {VmId}";
}
