using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using System.Numerics;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.Ppc;

/// <summary>KVM_MMU_FSL_BOOKE_*: the MMU type of kvm_config_tlb.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum PpcMmuType : uint
{
    FslBookeNoHv = 0,
    FslBookeHv = 1,
}

/// <summary>
/// A vCPU's TLB shared with the kernel (KVM_CAP_SW_TLB, api.txt 6.3; e500 Book E): an array of
/// kvm_book3e_206_tlb_entry this object owns, TLB0 entries first. After changing entries userspace must
/// call KVM_DIRTY_TLB (api.txt 4.60) before the next KVM_RUN: <see cref="Sync"/>.
/// </summary>
public sealed class PpcSoftwareTlb : IDisposable
{
    private static readonly int EntrySize = System.Runtime.CompilerServices.Unsafe.SizeOf<PpcTlbEntry>();
    private readonly MemoryMapping _array;
    private readonly HashSet<int> _dirty = [];
    private bool _disposed;

    private PpcSoftwareTlb(KvmVcpu vcpu, PpcMmuType mmuType, uint[] sizes, uint[] ways, MemoryMapping array)
    {
        Vcpu = vcpu;
        MmuType = mmuType;
        TlbSizes = sizes;
        TlbWays = ways;
        _array = array;
    }

    public KvmVcpu Vcpu { get; }
    public int VmId => Vcpu.VmId;
    public int VcpuId => Vcpu.Id;
    public PpcMmuType MmuType { get; }
    public IReadOnlyList<uint> TlbSizes { get; }
    public IReadOnlyList<uint> TlbWays { get; }
    public int EntryCount => (int)TlbSizes.Sum(s => (long)s);
    public int DirtyCount { get { lock (_dirty) { return _dirty.Count; } } }
    public bool IsRemoved => _disposed;

    /// <summary>KVM_ENABLE_CAP(KVM_CAP_SW_TLB) on the vCPU with a fresh array for the given TLB geometry.</summary>
    public static unsafe PpcSoftwareTlb Enable(KvmVcpu vcpu, PpcMmuType mmuType, IReadOnlyList<uint> tlbSizes, IReadOnlyList<uint> tlbWays)
    {
        vcpu.Vm.RequireCapability(KvmCapability.SwTlb, "a TLB shared with userspace (KVM_CAP_SW_TLB)");
        (uint[] sizes, uint[] ways) = CheckGeometry(tlbSizes, tlbWays);
        long arrayLength = sizes.Sum(s => (long)s) * EntrySize;
        var array = MemoryMapping.Anonymous(vcpu.Vm.Kernel.Syscalls,
            (ulong)((arrayLength + vcpu.Vm.Kernel.PageSize - 1) / vcpu.Vm.Kernel.PageSize * vcpu.Vm.Kernel.PageSize));
        var tlb = new PpcSoftwareTlb(vcpu, mmuType, sizes, ways, array);
        try
        {
            var parameters = new KvmBook3e206TlbParams();
            for (int i = 0; i < sizes.Length; i++)
            {
                parameters.TlbSizes[i] = sizes[i];
                parameters.TlbWays[i] = ways[i];
            }
            var config = new KvmConfigTlb { Params = (ulong)&parameters, Array = (ulong)array.Address, MmuType = (uint)mmuType, ArrayLen = (uint)arrayLength };
            var request = new KvmEnableCap();
            request.Args[0] = (ulong)&config;
            PpcVcpuCapabilities.Enable(vcpu, KvmCapability.SwTlb, "a TLB shared with userspace (KVM_CAP_SW_TLB)", request);
            vcpu.Vm.AddDependent(tlb);
        }
        catch
        {
            tlb.Release();
            throw;
        }
        return tlb;
    }

    /// <summary>The rules of kvm_book3e_206_tlb_params (powerpc asm/kvm.h), checked before the kernel checks them.</summary>
    private static (uint[] Sizes, uint[] Ways) CheckGeometry(IReadOnlyList<uint> tlbSizes, IReadOnlyList<uint> tlbWays)
    {
        if (tlbSizes.Count > 4 || tlbWays.Count > 4 || tlbSizes.Count < 2 || tlbWays.Count < 2)
        {
            throw Invalid("Give the sizes and ways of TLB0 and TLB1 (TLB2 and TLB3, if given, must be 0).");
        }
        uint[] sizes = [.. tlbSizes, .. new uint[4 - tlbSizes.Count]];
        uint[] ways = [.. tlbWays, .. new uint[4 - tlbWays.Count]];
        if (sizes[2] != 0 || sizes[3] != 0 || ways[2] != 0 || ways[3] != 0)
        {
            throw Invalid("TLB2 and TLB3 are reserved: their sizes and ways must be 0.");
        }
        if (ways[0] < 2 || ways[0] > 16 || !BitOperations.IsPow2(ways[0]))
        {
            throw Invalid($"TLB0 has {ways[0]} ways; it needs a power of two from 2 to 16.");
        }
        if (sizes[0] == 0 || sizes[0] % ways[0] != 0 || !BitOperations.IsPow2(sizes[0] / ways[0]))
        {
            throw Invalid($"TLB0 has {sizes[0]} entries in {ways[0]} ways; the size must be a non-zero multiple of the ways with a power-of-two number of sets.");
        }
        if (sizes[1] > 64 || ways[1] != sizes[1])
        {
            throw Invalid($"TLB1 has {sizes[1]} entries in {ways[1]} ways; it must be fully associative (ways = size) with at most 64 entries.");
        }
        return (sizes, ways);
    }

    private static KvmPSException Invalid(string message) => KvmPSException.InvalidArgument("InvalidTlbGeometry", message);

    public PpcTlbEntry GetEntry(int index) => Slot(index);

    /// <summary>Writes an entry of the shared array and remembers it for the next <see cref="Sync"/>.</summary>
    public void SetEntry(int index, PpcTlbEntry entry)
    {
        Slot(index) = entry;
        lock (_dirty)
        {
            _dirty.Add(index);
        }
    }

    /// <summary>
    /// KVM_DIRTY_TLB with a bitmap of the entries changed since the last sync, or of <paramref name="indices"/> when
    /// given. The bitmap is little-endian by byte, one bit per entry, rounded up to 64 entries (api.txt 4.60).
    /// </summary>
    public unsafe int Sync(IEnumerable<int>? indices = null)
    {
        int[] marked;
        lock (_dirty)
        {
            marked = (indices ?? _dirty).Distinct().ToArray();
        }
        foreach (int index in marked)
        {
            CheckIndex(index);
        }
        byte[] bitmap = new byte[(EntryCount + 63) / 64 * 8];
        foreach (int index in marked)
        {
            bitmap[index / 8] |= (byte)(1 << (index % 8));
        }
        Vcpu.OnVcpuThread(handle =>
        {
            fixed (byte* bits = bitmap)
            {
                var request = new KvmDirtyTlb { Bitmap = (ulong)bits, NumDirty = (uint)marked.Length };
                return handle.Ioctl(PpcIoctls.DirtyTlb, ref request, errno => errno == Errno.EINVAL
                    ? $"The kernel has no shared TLB for {Vcpu}: KVM_CAP_SW_TLB is not enabled on it." : null);
            }
        });
        lock (_dirty)
        {
            _dirty.ExceptWith(marked);
        }
        return marked.Length;
    }

    private int CheckIndex(int index)
    {
        if (_disposed)
        {
            throw KvmPSException.InvalidOperation("SoftwareTlbRemoved", $"The shared TLB of {Vcpu} has been released.");
        }
        if (index < 0 || index >= EntryCount)
        {
            throw KvmPSException.InvalidArgument("TlbIndexOutOfRange", $"TLB entry {index} is outside 0..{EntryCount - 1} of {Vcpu}.");
        }
        return index;
    }

    private ref PpcTlbEntry Slot(int index) => ref _array.At<PpcTlbEntry>((ulong)(CheckIndex(index) * EntrySize));

    private void Release()
    {
        _disposed = true;
        _array.Dispose();
    }

    /// <summary>Releases the array; the VM does this after its vCPUs are gone, since the kernel uses the array until then.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        Vcpu.Vm.RemoveDependent(this);
        Release();
    }

    public override string ToString() => $"shared TLB of {Vcpu}: {EntryCount} entries";
}
