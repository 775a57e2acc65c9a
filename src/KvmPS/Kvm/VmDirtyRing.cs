using System.Numerics;
using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>
/// The dirty ring (api.rst 8.29, KVM_CAP_DIRTY_LOG_RING): instead of a bitmap per memory slot, KVM appends each page
/// a vCPU dirties in a slot with KVM_MEM_LOG_DIRTY_PAGES to that vCPU's ring of struct kvm_dirty_gfn. Userspace
/// harvests the entries KVM flagged DIRTY in order, flags each RESET, and KVM_RESET_DIRTY_RINGS recycles them
/// (and write-protects the pages again). A vCPU whose ring fills exits with KVM_EXIT_DIRTY_RING_FULL.
/// </summary>
public static class VmDirtyRing
{
    /// <summary>
    /// Enables the ring with <paramref name="bytes"/> per vCPU: a power of two, at least a page and at most what the
    /// capability reports. Must precede every vCPU; x86 uses KVM_CAP_DIRTY_LOG_RING, hosts that only offer the
    /// acquire/release flavour KVM_CAP_DIRTY_LOG_RING_ACQ_REL.
    /// </summary>
    public static void Enable(KvmVm vm, ulong bytes)
    {
        ArgumentNullException.ThrowIfNull(vm);
        KvmCapability capability = vm.CheckExtension(KvmCapability.DirtyLogRing) > 0 ? KvmCapability.DirtyLogRing : KvmCapability.DirtyLogRingAcqRel;
        ulong max = (ulong)vm.RequireCapability(capability, "the dirty ring (KVM_CAP_DIRTY_LOG_RING)");
        ulong page = (ulong)vm.Kernel.PageSize;
        if (!BitOperations.IsPow2(bytes) || bytes < page || bytes > max)
        {
            throw KvmPSException.InvalidArgument("InvalidDirtyRingSize",
                $"A dirty ring is a power of two of bytes from {page} to {max} (this host's maximum); got {bytes}.");
        }
        if (vm.DirtyRingBytes > 0)
        {
            throw new KvmPSException("DirtyRingEnabled", ErrorKind.ResourceExists, $"VM {vm.Id} already has {vm.DirtyRingBytes}-byte dirty rings.");
        }
        if (vm.Vcpus.Count > 0)
        {
            throw new KvmPSException("DirtyRingAfterVcpus", ErrorKind.InvalidOperation,
                $"VM {vm.Id} already has {vm.Vcpus.Count} vCPU(s); the dirty ring must be enabled before any vCPU is created.",
                recommendedAction: "Create a new VM and enable the dirty ring before its vCPUs.");
        }
        vm.EnableCapability(capability, [bytes]);
    }

    /// <summary>
    /// Collects the dirty pages every vCPU's ring holds, oldest first per vCPU, marks them harvested and issues
    /// KVM_RESET_DIRTY_RINGS, so that the next harvest returns only pages dirtied after this one.
    /// </summary>
    public static IReadOnlyList<DirtyPage> Harvest(KvmVm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        if (vm.DirtyRingBytes == 0)
        {
            throw KvmPSException.InvalidOperation("DirtyRingNotEnabled",
                $"VM {vm.Id} has no dirty ring; enable KVM_CAP_DIRTY_LOG_RING before creating its vCPUs.");
        }
        var regions = vm.MemoryRegions.ToDictionary(r => r.Slot);
        ulong page = (ulong)vm.Kernel.PageSize;
        var dirty = new List<DirtyPage>();
        lock (vm.DirtyRingGate)
        {
            foreach (KvmVcpu vcpu in vm.Vcpus)
            {
                foreach ((uint slot, ulong offset) in vcpu.OnDirtyRing(ring => Collect(vcpu, ring)) ?? [])
                {
                    // Address space 0 only: x86's SMM space (id 1) has slots of its own that KvmPS never creates.
                    if (slot >> 16 == 0 && regions.TryGetValue((int)(slot & 0xffff), out GuestMemoryRegion? region))
                    {
                        dirty.Add(new DirtyPage(vm.Id, region.Slot, region.GuestAddress + offset * page) { VcpuId = vcpu.Id });
                    }
                }
            }
            vm.Descriptor.Ioctl(KvmVmIoctls.ResetDirtyRings);
        }
        return dirty;
    }

    private static List<(uint Slot, ulong Offset)> Collect(KvmVcpu vcpu, Span<byte> ring)
    {
        var entries = MemoryMarshal.Cast<byte, KvmDirtyGfn>(ring);
        var collected = new List<(uint, ulong)>();
        while (true)
        {
            ref KvmDirtyGfn entry = ref entries[(int)(vcpu.DirtyRingFetch % (ulong)entries.Length)];
            // Acquire: KVM publishes slot and offset before it sets DIRTY; release: RESET after we read them.
            if ((Volatile.Read(ref entry.Flags) & KvmDirtyGfn.FlagDirty) == 0)
            {
                return collected;
            }
            collected.Add((entry.Slot, entry.Offset));
            Volatile.Write(ref entry.Flags, KvmDirtyGfn.FlagReset);
            vcpu.DirtyRingFetch++;
        }
    }
}
