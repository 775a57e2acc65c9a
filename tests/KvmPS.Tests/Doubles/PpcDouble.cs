using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm;

using KvmPS.Interop.Structs;
namespace KvmPS.Tests.Doubles;

/// <summary>
/// A powerpc64le host in the kernel double: the sPAPR TCE, PV-info, SMMU-info, hash-table, RMA, ENABLE_CAP and
/// DIRTY_TLB ioctls behave as api.txt and arch/powerpc/kvm/{powerpc,book3s_64_vio}.c document them.
/// </summary>
internal sealed unsafe class PpcDouble : IDisposable
{
    public static readonly uint[] PvInfoHcalls = [0x3c000000, 0x44000022, 0x60000000, 0x60000000];

    /// <param name="tce64">Whether KVM_CAP_SPAPR_TCE_64 is offered.</param>
    /// <param name="pageSize">The host's PAGE_SIZE: 64 KiB on most POWER hosts, 4 KiB on some.</param>
    public PpcDouble(bool tce64 = true, int pageSize = LinuxConstants.PageSize)
    {
        (Kernel, Kvm) = KvmDouble.Create(CpuArchitecture.PowerPC64LE, pageSize);
        Kvm.Capabilities[KvmCapability.SpaprTce] = 1;
        if (tce64)
        {
            Kvm.Capabilities[KvmCapability.SpaprTce64] = 1;
        }
        Kvm.Capabilities[KvmCapability.PpcGetPvinfo] = 1;
        Kvm.Capabilities[KvmCapability.PpcGetSmmuInfo] = 1;
        Kvm.Capabilities[KvmCapability.PpcAllocHtab] = 1;
        Kvm.Capabilities[KvmCapability.PpcPapr] = 1;
        Kvm.Capabilities[KvmCapability.PpcOsi] = 1;
        Kvm.Capabilities[KvmCapability.SwTlb] = 1;
        Kvm.Capabilities[KvmCapability.PpcRma] = 1;
        Kvm.VmCreated += vm => Vms.Add(new PpcVmDouble(this, vm));
        Kvm.VcpuCreated += vcpu => Vcpus.Add(new PpcVcpuDouble(vcpu));
        Session = new KvmSession(Kernel.Kernel);
    }

    public KernelDouble Kernel { get; }
    public KvmDouble Kvm { get; }
    public KvmSession Session { get; }
    public List<PpcVmDouble> Vms { get; } = [];
    public List<PpcVcpuDouble> Vcpus { get; } = [];

    /// <summary>RLIMIT_MEMLOCK in bytes; TCE tables are charged against it as account_locked_vm does.</summary>
    public ulong MemlockLimit { get; set; } = ulong.MaxValue;
    public ulong LockedBytes { get; internal set; }
    public ulong RmaSize { get; set; } = 1 << 20;
    internal List<nint> Allocations { get; } = [];

    public void Dispose()
    {
        Session.Dispose();
        Kernel.Dispose();
        foreach (nint memory in Allocations)
        {
            NativeMemory.AlignedFree((void*)memory);
        }
    }
}

/// <summary>The powerpc VM ioctls on one VM descriptor.</summary>
internal sealed unsafe class PpcVmDouble
{
    private readonly PpcDouble _ppc;

    public PpcVmDouble(PpcDouble ppc, VmDouble vm)
    {
        _ppc = ppc;
        Vm = vm;
        vm.On(PpcIoctls.CreateSpaprTce64, arg =>
        {
            KvmCreateSpaprTce64 request = IoctlArgument.As<KvmCreateSpaprTce64>(arg);
            CreateCalls.Add(PpcIoctls.CreateSpaprTce64.Name);
            return request.Flags != 0 ? -Errno.EINVAL : CreateTable(request.Liobn, (int)request.PageShift, request.Offset, request.Size);
        });
        vm.On(PpcIoctls.CreateSpaprTce, arg =>
        {
            KvmCreateSpaprTce request = IoctlArgument.As<KvmCreateSpaprTce>(arg);
            CreateCalls.Add(PpcIoctls.CreateSpaprTce.Name);
            return CreateTable(request.Liobn, 12, 0, request.WindowSize >> 12);
        });
        vm.On(PpcIoctls.GetPvinfo, arg =>
        {
            ref KvmPpcPvinfo info = ref IoctlArgument.As<KvmPpcPvinfo>(arg);
            info.Flags = 1;
            for (int i = 0; i < 4; i++)
            {
                info.Hcall[i] = PpcDouble.PvInfoHcalls[i];
            }
            return 0;
        });
        vm.On(PpcIoctls.GetSmmuInfo, WriteSmmuInfo);
        vm.On(PpcIoctls.AllocateHtab, arg =>
        {
            uint order = *(uint*)arg;
            if (HtabBusy) return -Errno.EBUSY;
            if (order < 18 || order > 46) return -Errno.EINVAL;
            HtabOrders.Add(order);
            return 0;
        });
        vm.On(PpcIoctls.AllocateRma, arg =>
        {
            IoctlArgument.As<KvmAllocateRma>(arg).RmaSize = ppc.RmaSize;
            var rma = new MemoryFileDouble(ppc, "kvm-rma", ppc.RmaSize);
            return ppc.Kernel.Install(rma);
        });
    }

    public VmDouble Vm { get; }
    public List<string> CreateCalls { get; } = [];
    public List<TceTableDouble> Tables { get; } = [];
    public List<uint> HtabOrders { get; } = [];

    /// <summary>Makes KVM_PPC_ALLOCATE_HTAB answer EBUSY, as when a vCPU is inside KVM_RUN.</summary>
    public bool HtabBusy { get; set; }

    public TceTableDouble Table(ulong liobn) => Tables.Single(t => t.Liobn == liobn);

    /// <summary>kvm_vm_ioctl_create_spapr_tce: the same checks in the same order.</summary>
    private long CreateTable(ulong liobn, int pageShift, ulong offset, ulong size)
    {
        if (size == 0 || pageShift < 12 || pageShift > 34 || unchecked(offset + size) > (ulong.MaxValue >> pageShift))
        {
            return -Errno.EINVAL;
        }
        ulong pageSize = (ulong)_ppc.Kernel.Kernel.PageSize;
        ulong tableBytes = (size * 8 + pageSize - 1) / pageSize * pageSize;
        ulong charged = tableBytes + pageSize;   // the entry pages plus the table's bookkeeping
        if (_ppc.LockedBytes + charged > _ppc.MemlockLimit)
        {
            return -Errno.ENOMEM;
        }
        if (Tables.Any(t => t.Liobn == liobn))
        {
            return -Errno.EBUSY;
        }
        _ppc.LockedBytes += charged;
        var table = new TceTableDouble(_ppc, this, liobn, pageShift, offset, size, tableBytes, charged);
        Tables.Add(table);
        return _ppc.Kernel.Install(table);
    }

    private long WriteSmmuInfo(nint argument)
    {
        CStructLayout layout = PpcStructs.SmmuInfo.LayoutOn(CpuArchitecture.PowerPC64LE);
        void Write<T>(string path, T value) where T : unmanaged => *(T*)(argument + layout.OffsetOf(path)) = value;
        new Span<byte>((void*)argument, layout.Size).Clear();
        Write("flags", 3UL);
        Write("slb_size", 32u);
        Write("data_keys", (ushort)31);
        Write("instr_keys", (ushort)30);
        (uint Shift, uint Slb, (uint Shift, uint Pte)[] Enc)[] segments =
        [
            (12, 0x000, [(12, 0x0), (16, 0x7), (24, 0x38)]),
            (16, 0x110, [(16, 0x1), (24, 0x8)]),
            (24, 0x100, [(24, 0x0)]),
        ];
        for (int s = 0; s < segments.Length; s++)
        {
            Write($"sps[{s}].page_shift", segments[s].Shift);
            Write($"sps[{s}].slb_enc", segments[s].Slb);
            for (int e = 0; e < segments[s].Enc.Length; e++)
            {
                Write($"sps[{s}].enc[{e}].page_shift", segments[s].Enc[e].Shift);
                Write($"sps[{s}].enc[{e}].pte_enc", segments[s].Enc[e].Pte);
            }
        }
        return 0;
    }
}

/// <summary>A descriptor whose mmap hands out one block of memory it owns, the same block every time (a TCE table, an RMA).</summary>
internal class MemoryFileDouble : DoubleFile
{
    public MemoryFileDouble(PpcDouble ppc, string name, ulong length) : base(ppc.Kernel, name)
    {
        Length = length;
        Memory = ppc.Kernel.AllocatePages((nuint)length);
        ppc.Allocations.Add(Memory);
    }

    public ulong Length { get; }
    public nint Memory { get; }
    public List<ulong> MmapLengths { get; } = [];
    public override bool OwnsMappedMemory => true;

    /// <summary>Offset 0 and at most the object's length: beyond it the kernel's fault handler would raise SIGBUS.</summary>
    public override nint Mmap(nuint length, int protection, long offset)
    {
        if (offset != 0 || length > Length) return -Errno.EINVAL;
        MmapLengths.Add(length);
        return Memory;
    }
}

/// <summary>An sPAPR TCE table: entries in host byte order, one u64 per IOMMU page of the window.</summary>
internal sealed unsafe class TceTableDouble : MemoryFileDouble
{
    private readonly PpcDouble _ppc;
    private readonly PpcVmDouble _vm;
    private readonly ulong _charged;

    public TceTableDouble(PpcDouble ppc, PpcVmDouble vm, ulong liobn, int pageShift, ulong offset, ulong size, ulong tableBytes, ulong charged)
        : base(ppc, "kvm-spapr-tce", tableBytes)
    {
        _ppc = ppc;
        _vm = vm;
        _charged = charged;
        Liobn = liobn;
        PageShift = pageShift;
        Offset = offset;
        Size = size;
    }

    public ulong Liobn { get; }
    public int PageShift { get; }
    public ulong Offset { get; }
    public ulong Size { get; }
    public PpcVmDouble Vm => _vm;

    /// <summary>
    /// The hardware tables linked by KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE (stt->iommu_tables). Entries written through
    /// this descriptor's mmap (kvm_spapr_tce_fault hands out stt->pages) change only KVM's copy: the hardware tables
    /// are programmed by H_PUT_TCE (kvmppc_tce_iommu_map) or by VFIO_IOMMU_MAP_DMA, never by these writes.
    /// </summary>
    public List<VfioContainerDouble.Window> LinkedHardwareTables { get; } = [];

    public ulong this[ulong index]
    {
        get => ((ulong*)Memory)[index];
        set => ((ulong*)Memory)[index] = value;
    }

    /// <summary>What the kernel's H_PUT_TCE does with a validated TCE: entry = ioba &gt;&gt; page_shift, minus the offset.</summary>
    public void PutTce(ulong ioba, ulong tce) => this[(ioba >> PageShift) - Offset] = tce;

    public override void OnClose()
    {
        _vm.Tables.Remove(this);
        _ppc.LockedBytes -= _charged;
    }
}

/// <summary>The powerpc vCPU ioctls: KVM_ENABLE_CAP (PAPR, OSI, SW_TLB) and KVM_DIRTY_TLB.</summary>
internal sealed unsafe class PpcVcpuDouble
{
    public PpcVcpuDouble(VcpuDouble vcpu)
    {
        Vcpu = vcpu;
        vcpu.On(KvmVmIoctls.EnableCap, arg =>
        {
            ref KvmEnableCap request = ref IoctlArgument.As<KvmEnableCap>(arg);
            uint cap = request.Cap;
            EnabledCaps.Add((KvmCapability)cap);
            EnableCapThreads.Add(Environment.CurrentManagedThreadId);
            if ((KvmCapability)cap == KvmCapability.SwTlb)
            {
                KvmConfigTlb config = IoctlArgument.As<KvmConfigTlb>((nint)request.Args[0]);
                ref KvmBook3e206TlbParams parameters = ref IoctlArgument.As<KvmBook3e206TlbParams>((nint)config.Params);
                TlbSizes = [parameters.TlbSizes[0], parameters.TlbSizes[1], parameters.TlbSizes[2], parameters.TlbSizes[3]];
                TlbWays = [parameters.TlbWays[0], parameters.TlbWays[1], parameters.TlbWays[2], parameters.TlbWays[3]];
                TlbArray = (nint)config.Array;
                TlbMmuType = config.MmuType;
                TlbArrayLength = config.ArrayLen;
            }
            return 0;
        });
        vcpu.On(PpcIoctls.DirtyTlb, arg =>
        {
            if (TlbArray == 0) return -Errno.EINVAL;
            KvmDirtyTlb request = IoctlArgument.As<KvmDirtyTlb>(arg);
            ulong bitmap = request.Bitmap;
            uint numDirty = request.NumDirty;
            int entries = (int)TlbSizes.Sum(s => s);
            var dirty = Enumerable.Range(0, entries).Where(i => (((byte*)bitmap)[i / 8] & (1 << (i % 8))) != 0).ToArray();
            if (dirty.Length != numDirty) return -Errno.EINVAL;
            DirtySyncs.Add(dirty);
            return 0;
        });
    }

    public VcpuDouble Vcpu { get; }
    public List<KvmCapability> EnabledCaps { get; } = [];
    public List<int> EnableCapThreads { get; } = [];
    public uint[] TlbSizes { get; private set; } = [];
    public uint[] TlbWays { get; private set; } = [];
    public nint TlbArray { get; private set; }
    public uint TlbMmuType { get; private set; }
    public uint TlbArrayLength { get; private set; }
    public List<int[]> DirtySyncs { get; } = [];
}
