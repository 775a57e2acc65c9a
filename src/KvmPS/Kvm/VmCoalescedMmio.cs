using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>A zone whose guest writes KVM records in the coalesced MMIO ring instead of exiting (api.txt 4.116).</summary>
public sealed record CoalescedMmioZone(KvmVm Vm, ulong GuestAddress, uint Size, bool Pio)
{
    public override string ToString() => $"{(Pio ? "port" : "MMIO")} 0x{GuestAddress:X}-0x{GuestAddress + Size - 1:X} of {Vm}";
}

/// <summary>One write the guest made to a coalesced zone, as struct kvm_coalesced_mmio recorded it.</summary>
public sealed record CoalescedMmioEntry(int VmId, ulong PhysicalAddress, uint Length, bool Pio, byte[] Data)
{
    public override string ToString() => $"{(Pio ? "out" : "write")} 0x{PhysicalAddress:X} [{Length}] = {Convert.ToHexString(Data)}";
}

/// <summary>
/// KVM_REGISTER_COALESCED_MMIO / KVM_UNREGISTER_COALESCED_MMIO (api.txt 4.116) and the ring KVM fills: guest writes
/// inside a zone are appended to struct kvm_coalesced_mmio_ring (one per VM, in every vCPU's mmap at the page that
/// KVM_CHECK_EXTENSION(KVM_CAP_COALESCED_MMIO) returns) instead of exiting to userspace.
/// </summary>
public static class VmCoalescedMmio
{
    /// <summary>Registers [<paramref name="address"/>, +<paramref name="size"/>) of guest-physical (or, with <paramref name="pio"/>, port) space.</summary>
    public static CoalescedMmioZone Register(KvmVm vm, ulong address, uint size, bool pio = false)
    {
        var zone = Zone(vm, address, size, pio, "KVM_REGISTER_COALESCED_MMIO");
        vm.Descriptor.Ioctl(KvmVmIoctls.RegisterCoalescedMmio, ref zone, errno => errno switch
        {
            Errno.ENOSPC => "The VM's I/O bus has no room for another device (too many zones, ioeventfds or devices).",
            Errno.EINVAL => "KVM refuses the zone (pio must be 0 or 1).",
            _ => null,
        });
        return new CoalescedMmioZone(vm, address, size, pio);
    }

    /// <summary>Removes every registered zone that lies inside the range (the kernel's rule, not only an exact match).</summary>
    public static void Unregister(KvmVm vm, ulong address, uint size, bool pio = false)
    {
        var zone = Zone(vm, address, size, pio, "KVM_UNREGISTER_COALESCED_MMIO");
        vm.Descriptor.Ioctl(KvmVmIoctls.UnregisterCoalescedMmio, ref zone);
    }

    /// <summary>
    /// Drains the ring: every entry from first to last, in the order the guest wrote them, advancing first past
    /// each one so that KVM can reuse its slot. Reads through any vCPU's mapping (the ring is the VM's).
    /// </summary>
    public static IReadOnlyList<CoalescedMmioEntry> Read(KvmVm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        int pageOffset = vm.RequireCapability(KvmCapability.CoalescedMmio, "coalesced MMIO (KVM_REGISTER_COALESCED_MMIO)");
        KvmVcpu vcpu = vm.Vcpus.FirstOrDefault() ?? throw new KvmPSException("CoalescedMmioNeedsVcpu", ErrorKind.InvalidOperation,
            $"VM {vm.Id} has no vCPU: the coalesced MMIO ring is read through a vCPU's mmap.",
            recommendedAction: "Create a vCPU first; the ring holds what the vCPUs wrote.");
        CStructLayout ring = KvmStructs.CoalescedMmioRing.LayoutOn(vm.Kernel.Architecture);
        int first = ring.OffsetOf("first"), last = ring.OffsetOf("last"), entries = ring.OffsetOf("coalesced_mmio");
        int entrySize = Marshal.SizeOf<KvmCoalescedMmio>();
        lock (vm.CoalescedRingGate)
        {
            return vcpu.OnMappedPage(pageOffset, page =>
            {
                // KVM_COALESCED_MMIO_MAX: the slots that fit in the page after first and last.
                uint capacity = (uint)((page.Length - entries) / entrySize);
                ref uint head = ref MemoryMarshal.AsRef<uint>(page[first..]);
                uint tail = Volatile.Read(ref MemoryMarshal.AsRef<uint>(page[last..]));
                var read = new List<CoalescedMmioEntry>();
                for (uint index = Volatile.Read(ref head); index != tail && index < capacity; index = (index + 1) % capacity)
                {
                    KvmCoalescedMmio entry = MemoryMarshal.Read<KvmCoalescedMmio>(page[(entries + (int)index * entrySize)..]);
                    read.Add(Decode(vm.Id, entry));
                    Volatile.Write(ref head, (index + 1) % capacity);
                }
                return (IReadOnlyList<CoalescedMmioEntry>)read;
            });
        }
    }

    private static unsafe CoalescedMmioEntry Decode(int vmId, KvmCoalescedMmio entry)
    {
        int length = (int)Math.Min(entry.Len, 8u);
        byte[] data = new byte[length];
        new ReadOnlySpan<byte>(entry.Data, length).CopyTo(data);
        return new CoalescedMmioEntry(vmId, entry.PhysAddr, entry.Len, entry.Pio != 0, data);
    }

    private static KvmCoalescedMmioZone Zone(KvmVm vm, ulong address, uint size, bool pio, string ioctl)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.CoalescedMmio, $"coalesced MMIO ({ioctl})");
        if (pio)
        {
            vm.RequireCapability(KvmCapability.CoalescedPio, $"coalesced port I/O ({ioctl} with pio)");
        }
        if (size == 0 || address + size < address || (pio && address + size > 0x10000))
        {
            throw KvmPSException.InvalidArgument("InvalidCoalescedZone",
                $"A coalesced zone is a non-empty range{(pio ? " of ports 0-0xFFFF" : " that does not wrap")}: 0x{address:X} + 0x{size:X} is not.");
        }
        return new KvmCoalescedMmioZone { Addr = address, Size = size, Pio = pio ? 1u : 0u };
    }
}
