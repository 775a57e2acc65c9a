using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.Ppc;

/// <summary>The powerpc VM ioctls that return information or reset state: PV info, SMMU info and the hash table.</summary>
public static class PpcVm
{
    /// <summary>KVM_PPC_GET_PVINFO (api.txt 4.47).</summary>
    public static unsafe PpcPvInfo GetPvInfo(KvmVm vm)
    {
        vm.RequireCapability(KvmCapability.PpcGetPvinfo, "paravirtual hypercall information (KVM_PPC_GET_PVINFO)");
        var info = new KvmPpcPvinfo();
        vm.Descriptor.Ioctl(PpcIoctls.GetPvinfo, ref info);
        return new PpcPvInfo(vm.Id, info.Flags, [info.Hcall[0], info.Hcall[1], info.Hcall[2], info.Hcall[3]]);
    }

    /// <summary>KVM_PPC_GET_SMMU_INFO (api.txt 4.74); each page-size list stops at its first zero page shift.</summary>
    public static PpcSmmuInfo GetSmmuInfo(KvmVm vm)
    {
        vm.RequireCapability(KvmCapability.PpcGetSmmuInfo, "Server MMU information (KVM_PPC_GET_SMMU_INFO)");
        CStructLayout layout = PpcStructs.SmmuInfo.LayoutOn(vm.Kernel.Architecture);
        byte[] buffer = new byte[layout.Size];
        vm.Descriptor.Ioctl(PpcIoctls.GetSmmuInfo, buffer);
        T Read<T>(string path) where T : unmanaged => MemoryMarshal.Read<T>(buffer.AsSpan(layout.OffsetOf(path)));
        var segments = Enumerable.Range(0, PpcStructs.PageSizesMax)
            .Select(s => $"sps[{s}]")
            .TakeWhile(s => Read<uint>($"{s}.page_shift") != 0)
            .Select(s => new PpcSegmentPageSize((int)Read<uint>($"{s}.page_shift"), Read<uint>($"{s}.slb_enc"),
                Enumerable.Range(0, PpcStructs.PageSizesMax)
                    .Select(e => $"{s}.enc[{e}]")
                    .TakeWhile(e => Read<uint>($"{e}.page_shift") != 0)
                    .Select(e => new PpcPageSize((int)Read<uint>($"{e}.page_shift"), Read<uint>($"{e}.pte_enc")))
                    .ToArray()))
            .ToArray();
        return new PpcSmmuInfo(vm.Id, (PpcSmmuFlags)Read<ulong>("flags"), Read<uint>("slb_size"),
            Read<ushort>("data_keys"), Read<ushort>("instr_keys"), segments);
    }

    /// <summary>
    /// KVM_PPC_ALLOCATE_HTAB (api.txt 4.76): allocates a 2^order-byte hash table, or zeroes the existing one when
    /// the order is unchanged. No vCPU may be running.
    /// </summary>
    public static PpcHashTable AllocateHashTable(KvmVm vm, int order)
    {
        vm.RequireCapability(KvmCapability.PpcAllocHtab, "allocating the guest's MMU hash table (KVM_PPC_ALLOCATE_HTAB)");
        if (order < PpcHashTable.MinOrder || order > PpcHashTable.MaxOrder)
        {
            throw KvmPSException.InvalidArgument("InvalidHashTableOrder",
                $"Hash table order {order} is outside {PpcHashTable.MinOrder}..{PpcHashTable.MaxOrder} (256 KiB to 64 TiB), the range api.txt 4.76 allows.");
        }
        uint value = (uint)order;
        vm.Descriptor.Ioctl(PpcIoctls.AllocateHtab, ref value, errno => errno switch
        {
            Errno.EBUSY => $"A vCPU of VM {vm.Id} is running; the hash table can only be allocated while no vCPU is inside KVM_RUN.",
            Errno.ENOMEM => $"The host could not allocate {1UL << order} contiguous bytes for the hash table; try a smaller order.",
            Errno.ENOTTY => "This host's KVM (PR rather than HV) advertises the capability but leaves the hash table to userspace.",
            _ => null,
        });
        return new PpcHashTable(vm.Id, order);
    }
}
