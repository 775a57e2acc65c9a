using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Tests.Doubles;

/// <summary>
/// The VFIO subsystem in the <see cref="KernelDouble"/>: /dev/vfio/vfio and /dev/vfio/&lt;group&gt; nodes implementing the
/// contract of linux/vfio.h, drivers/vfio/container.c + group.c, vfio_iommu_type1.c and vfio_iommu_spapr_tce.c (with the
/// PowerNV IODA2 window placement: slot 0 at tce32_start, slot 1 at 1&lt;&lt;59). Arguments are read and written as the
/// module's own C# structs (whose layouts the ABI tests hold against the headers); argsz is checked against their
/// sizes and member ends, as the kernel checks it against minsz. Each sPAPR rule names the kernel function it models and comes in that
/// function's order; docs/spapr-vfio-contract.md lists them with the module check and the test of each.
/// </summary>
internal sealed class VfioDouble
{
    public const string ContainerPath = "/dev/vfio/vfio";
    public const int VfioApiVersion = 0;

    public VfioDouble(KernelDouble kernel, params int[] iommuTypes)
    {
        Kernel = kernel;
        IommuTypes = [.. iommuTypes];
        kernel.AddNode(ContainerPath, () => new VfioContainerDouble(this));
    }

    public KernelDouble Kernel { get; }
    public int ApiVersion { get; set; } = VfioApiVersion;

    /// <summary>The IOMMU types VFIO_CHECK_EXTENSION reports (VFIO_TYPE1_IOMMU = 1, SPAPR_TCE = 2, TYPE1v2 = 3, SPAPR_TCE_v2 = 7).</summary>
    public HashSet<int> IommuTypes { get; }
    public Dictionary<int, VfioGroupState> Groups { get; } = [];
    public List<VfioContainerDouble> Containers { get; } = [];

    // Type1 platform.
    public ulong Type1PageSizes { get; set; } = 0x1000 | 0x20_0000 | 0x4000_0000;

    /// <summary>Bytes of capability chain VFIO_IOMMU_GET_INFO offers (0: none).</summary>
    public uint Type1CapabilityBytes { get; set; } = 0;

    // sPAPR platform (PowerNV IODA2 defaults).
    public uint Tce32Start { get; set; } = 0;
    public uint Tce32Size { get; set; } = 0x8000_0000;
    public ulong Tce64Start { get; set; } = 1UL << 59;
    public ulong DdwPageSizes { get; set; } = (1UL << 12) | (1UL << 16) | (1UL << 24);
    public uint MaxDynamicWindows { get; set; } = 2;
    public uint MaxLevels { get; set; } = 5;

    /// <summary>
    /// VFIO_IOMMU_SPAPR_TCE_CREATE fails with ENOMEM below this many levels (host memory fragmentation), to exercise the
    /// retry; the small default window is not affected.
    /// </summary>
    public uint FailCreateBelowLevels { get; set; }

    /// <summary>
    /// The process mm's preregistered memory (mm_iommu_*): shared by all containers of the process. PageShift is
    /// mem-&gt;pageshift, the largest IOMMU page the range can back (mm_iommu_do_alloc).
    /// </summary>
    public List<(ulong Ua, ulong Size, int PageShift, VfioContainerDouble Owner)> Preregistered { get; } = [];

    /// <summary>Ranges of process memory backed by huge pages of 2^Shift bytes (hugetlbfs); all other memory uses PAGE_SIZE pages.</summary>
    public List<(ulong Ua, ulong Size, int Shift)> HugePages { get; } = [];

    /// <summary>PAGE_SHIFT of the double's kernel.</summary>
    public int HostPageShift => BitOperations.TrailingZeroCount(Kernel.Kernel.PageSize);

    /// <summary>compound_head(page)'s size for the page at <paramref name="ua"/>: a huge page's shift, else PAGE_SHIFT.</summary>
    public int BackingPageShift(ulong ua) =>
        HugePages.FirstOrDefault(h => ua >= h.Ua && ua - h.Ua < h.Size) is { Size: > 0 } huge ? huge.Shift : HostPageShift;

    /// <summary>A double with /dev/kvm and VFIO (the given IOMMU types) on <paramref name="arch"/>; KVM VMs get a KVM-VFIO device factory.</summary>
    public static (KernelDouble Kernel, KvmDouble Kvm, VfioDouble Vfio) Create(CpuArchitecture arch, params int[] iommuTypes) =>
        Create(arch, LinuxConstants.PageSize, iommuTypes);

    /// <summary>The same with host pages of <paramref name="pageSize"/> bytes (64 KiB on most POWER hosts).</summary>
    public static (KernelDouble Kernel, KvmDouble Kvm, VfioDouble Vfio) Create(CpuArchitecture arch, int pageSize, params int[] iommuTypes)
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(arch, pageSize);
        return (kernel, kvm, AttachTo(kernel, kvm, iommuTypes));
    }

    /// <summary>Adds VFIO to an existing kernel double (e.g. a <see cref="PpcDouble"/>'s) and the KVM-VFIO device to its VMs.</summary>
    public static VfioDouble AttachTo(KernelDouble kernel, KvmDouble kvm, params int[] iommuTypes)
    {
        var vfio = new VfioDouble(kernel, iommuTypes);
        kvm.VmCreated += vm =>
        {
            Func<uint, DeviceDouble?> previous = vm.DeviceFactory;
            vm.DeviceFactory = type => type == KvmVfioDeviceDouble.DeviceType ? new KvmVfioDeviceDouble(vm, vfio) : previous(type);
        };
        return vfio;
    }

    /// <summary>An IOMMU group with its /dev/vfio node; devices are names such as 0000:01:00.0.</summary>
    public VfioGroupState AddGroup(int id, bool viable = true, params VfioDeviceSpec[] devices)
    {
        var group = new VfioGroupState(id, viable, devices);
        Groups[id] = group;
        Kernel.AddNode($"/dev/vfio/{id}", () => new VfioGroupDouble(this, group));
        return group;
    }

    /// <summary>The ioctl argument as the struct it points to: the same C# struct the module passes.</summary>
    internal static unsafe ref T Arg<T>(nint arg) where T : unmanaged => ref Unsafe.AsRef<T>((void*)arg);

    /// <summary>sizeof(T): the argsz that covers the whole struct.</summary>
    internal static uint SizeOf<T>() where T : unmanaged => (uint)Unsafe.SizeOf<T>();

    /// <summary>offsetofend(T, field): the kernel's minsz, the smallest argsz it accepts or the end of what it writes.</summary>
    internal static uint OffsetOfEnd<T>(string field) where T : unmanaged =>
        (uint)Marshal.OffsetOf<T>(field) + (uint)Marshal.SizeOf(typeof(T).GetField(field)!.FieldType);
}

internal sealed record VfioDeviceSpec(string Name, uint Flags = 0b11, uint NumRegions = 9, uint NumIrqs = 5, uint CapabilityBytes = 0);

internal sealed class VfioGroupState(int id, bool viable, VfioDeviceSpec[] devices)
{
    public int Id { get; } = id;
    public bool Viable { get; set; } = viable;
    public VfioDeviceSpec[] Devices { get; } = devices;
    public VfioContainerDouble? Container { get; set; }
    public int OpenDevices { get; set; }
    public int Resets { get; set; }
}

/// <summary>/dev/vfio/vfio: the container with its IOMMU backend.</summary>
internal sealed class VfioContainerDouble : DoubleFile
{
    public VfioContainerDouble(VfioDouble vfio) : base(vfio.Kernel, VfioDouble.ContainerPath)
    {
        Vfio = vfio;
        vfio.Containers.Add(this);
        On(VfioIoctls.GetApiVersion, _ => vfio.ApiVersion);
        On(VfioIoctls.CheckExtension, arg => vfio.IommuTypes.Contains((int)arg) ? 1 : 0);
        On(VfioIoctls.SetIommu, SetIommu);
        On(VfioIoctls.IommuGetInfo, arg => IommuType is 2 or 7 ? SpaprGetInfo(arg) : Type1(() => Type1GetInfo(arg)));
        On(VfioIoctls.IommuMapDma, MapDma);
        On(VfioIoctls.IommuUnmapDma, UnmapDma);
        On(VfioIoctls.IommuEnable, _ => Spapr(v2Only: false, () =>
        {
            if (IommuType == 7) return -Errno.ENOTTY;
            if (Enabled) return -Errno.EBUSY;
            if (Groups.Count == 0) return -Errno.ENODEV;
            Enabled = true;
            return 0;
        }));
        On(VfioIoctls.SpaprRegisterMemory, arg => Spapr(v2Only: true, () => Register(arg)));
        On(VfioIoctls.SpaprUnregisterMemory, arg => Spapr(v2Only: true, () => Unregister(arg)));
        On(VfioIoctls.SpaprTceCreate, arg => Spapr(v2Only: true, () => CreateWindow(arg)));
        On(VfioIoctls.SpaprTceRemove, arg => Spapr(v2Only: true, () => RemoveWindow(arg)));
    }

    public VfioDouble Vfio { get; }
    public List<VfioGroupState> Groups { get; } = [];
    public int? IommuType { get; private set; }
    public bool Enabled { get; private set; }
    public bool DefaultWindowPending { get; set; }
    public Window?[] Tables { get; } = new Window?[2];
    public List<(ulong Iova, ulong Size, ulong Vaddr, uint Flags)> Mappings { get; } = [];
    public List<int> CreateLevelsTried { get; } = [];

    /// <summary>A hardware TCE table (struct iommu_table): it_offset = Start &gt;&gt; PageShift, it_size = Size &gt;&gt; PageShift.</summary>
    public sealed class Window(ulong start, ulong size, int pageShift, uint levels)
    {
        public ulong Start { get; } = start;
        public ulong Size { get; } = size;
        public int PageShift { get; } = pageShift;
        public uint Levels { get; } = levels;
        public ulong PageSize => 1UL << PageShift;
        public bool Contains(ulong address) => address >= Start && address - Start < Size;
    }

    private long SetIommu(nint arg)
    {
        if (Groups.Count == 0 || IommuType is not null) return -Errno.EINVAL;   // "A group must be set ... before this ioctl"
        int type = (int)arg;
        if (!Vfio.IommuTypes.Contains(type)) return -Errno.ENODEV;
        if (type == 7 && Vfio.MaxDynamicWindows == 0) return -Errno.EINVAL;     // v2 requires full DDW support
        IommuType = type;
        if (type is 2 or 7) DefaultWindowPending = true;
        return 0;
    }

    internal long AttachGroup(VfioGroupState group)
    {
        if (IommuType == 2 && Groups.Count > 0) return -Errno.EBUSY;
        if (IommuType == 7 && Vfio.MaxDynamicWindows == 0) return -Errno.EINVAL;
        if (IommuType is 2 or 7 && Groups.Count == 0 && Tables[0] is null) DefaultWindowPending = true;
        Groups.Add(group);
        group.Container = this;
        return 0;
    }

    internal void DetachGroup(VfioGroupState group)
    {
        Groups.Remove(group);
        group.Container = null;
        if (Groups.Count == 0)
        {
            // The last group leaving releases the IOMMU driver and all its state (vfio.h, tce_iommu_release).
            IommuType = null;
            Enabled = false;
            DefaultWindowPending = false;
            Tables[0] = Tables[1] = null;
            Mappings.Clear();
            Vfio.Preregistered.RemoveAll(r => r.Owner == this);
        }
    }

    private long Type1(Func<long> body) => IommuType is 1 or 3 ? body() : -Errno.ENOTTY;

    private long Spapr(bool v2Only, Func<long> body) => IommuType switch
    {
        7 => body(),
        2 when !v2Only => body(),
        _ => -Errno.ENOTTY,
    };

    /// <summary>vfio_iommu_type1_get_info: minsz ends at iova_pgsizes; a capability chain that does not fit raises argsz.</summary>
    private long Type1GetInfo(nint arg)
    {
        ref VfioIommuType1InfoArg info = ref VfioDouble.Arg<VfioIommuType1InfoArg>(arg);
        uint argsz = info.Argsz;
        if (argsz < VfioDouble.OffsetOfEnd<VfioIommuType1InfoArg>(nameof(info.IovaPgsizes))) return -Errno.EINVAL;
        uint flags = 1;         // VFIO_IOMMU_INFO_PGSIZES
        info.IovaPgsizes = Vfio.Type1PageSizes;
        if (Vfio.Type1CapabilityBytes > 0)
        {
            flags |= 2;         // VFIO_IOMMU_INFO_CAPS
            uint needed = VfioDouble.SizeOf<VfioIommuType1InfoArg>() + Vfio.Type1CapabilityBytes;
            if (argsz < needed)
            {
                info.Argsz = needed;
                if (argsz >= VfioDouble.OffsetOfEnd<VfioIommuType1InfoArg>(nameof(info.CapOffset))) info.CapOffset = 0;
            }
        }
        info.Flags = flags;
        return 0;
    }

    /// <summary>tce_iommu_ioctl(VFIO_IOMMU_SPAPR_TCE_GET_INFO): minsz ends at dma32_window_size; ddw is filled only when argsz covers it.</summary>
    private long SpaprGetInfo(nint arg)
    {
        if (Groups.Count == 0) return -Errno.ENXIO;
        ref VfioSpaprTceInfoArg info = ref VfioDouble.Arg<VfioSpaprTceInfoArg>(arg);
        uint argsz = info.Argsz;
        if (argsz < VfioDouble.OffsetOfEnd<VfioSpaprTceInfoArg>(nameof(info.Dma32WindowSize))) return -Errno.EINVAL;
        bool ddw = IommuType == 7 && Vfio.MaxDynamicWindows > 0;
        info.Flags = ddw ? 1u : 0u;        // VFIO_IOMMU_SPAPR_INFO_DDW
        info.Dma32WindowStart = Vfio.Tce32Start;
        info.Dma32WindowSize = Vfio.Tce32Size;
        if (argsz >= VfioDouble.OffsetOfEnd<VfioSpaprTceInfoArg>(nameof(info.Ddw)))
        {
            info.Ddw = new VfioSpaprTceDdwInfoArg
            {
                Pgsizes = ddw ? Vfio.DdwPageSizes : 0UL,
                MaxDynamicWindowsSupported = ddw ? Vfio.MaxDynamicWindows : 0u,
                Levels = ddw ? Vfio.MaxLevels : 0u,
            };
        }
        return 0;
    }

    private long MapDma(nint arg)
    {
        if (IommuType is null) return -Errno.ENOTTY;
        VfioDmaMapArg map = VfioDouble.Arg<VfioDmaMapArg>(arg);
        (uint argsz, uint flags, ulong vaddr, ulong iova, ulong size) = (map.Argsz, map.Flags, map.Vaddr, map.Iova, map.Size);
        if (IommuType is 2 or 7)
        {
            long error = SpaprMapDma(flags, argsz, vaddr, iova, size);
            if (error != 0) return error;
        }
        else
        {
            if (argsz < VfioDouble.OffsetOfEnd<VfioDmaMapArg>(nameof(map.Size))) return -Errno.EINVAL;
            ulong min = Vfio.Type1PageSizes & (~Vfio.Type1PageSizes + 1);
            if (size == 0 || ((size | iova | vaddr) & (min - 1)) != 0 || (flags & 3u) == 0) return -Errno.EINVAL;
        }
        if (Mappings.Any(m => iova < m.Iova + m.Size && m.Iova < iova + size)) return -Errno.EEXIST;
        Mappings.Add((iova, size, vaddr, flags));
        return 0;
    }

    /// <summary>tce_iommu_ioctl(VFIO_IOMMU_MAP_DMA), its checks in its order; 0 when the TCEs would be built.</summary>
    private long SpaprMapDma(uint flags, uint argsz, ulong vaddr, ulong iova, ulong size)
    {
        if (!Enabled) return -Errno.EPERM;
        if (argsz < VfioDouble.OffsetOfEnd<VfioDmaMapArg>(nameof(VfioDmaMapArg.Size))) return -Errno.EINVAL;
        if ((flags & ~3u) != 0) return -Errno.EINVAL;
        long created = CreatePendingDefaultWindow();                             // tce_iommu_create_default_window
        if (created != 0) return created;
        Window? table = FindTable(iova);                                         // tce_iommu_find_table
        if (table is null) return -Errno.ENXIO;
        ulong mask = table.PageSize - 1;                                         // IOMMU_PAGE_MASK(tbl): the window's page, not PAGE_SIZE
        if ((size & mask) != 0 || (vaddr & mask) != 0) return -Errno.EINVAL;
        if ((flags & 3u) == 0) return -Errno.EINVAL;                             // no DMA direction
        if ((iova & mask) != 0 || !table.Contains(iova)) return -Errno.EINVAL;   // iommu_tce_put_param_check -> iommu_tce_check_ioba
        if (size > 0 && !table.Contains(iova + size - 1)) return -Errno.EINVAL;  // the entries past the table's end (simplified)
        for (ulong ua = vaddr; ua < vaddr + size; ua += table.PageSize)          // tce_iommu_build(_v2), one IOMMU page at a time
        {
            if (IommuType == 7)
            {
                // tce_iommu_prereg_ua_to_hpa: mm_iommu_lookup(ua, 1 << it_page_shift), then mm_iommu_ua_to_hpa refuses
                // pageshift > mem->pageshift (EFAULT), both reported as EINVAL.
                var mem = Vfio.Preregistered.FirstOrDefault(r => ua >= r.Ua && ua + table.PageSize <= r.Ua + r.Size);
                if (mem.Size == 0) return -Errno.EINVAL;
                if (table.PageShift > mem.PageShift) return -Errno.EINVAL;
            }
            // tce_page_is_contained: the backing page (compound_head) must be at least the IOMMU page.
            if (Vfio.BackingPageShift(ua) < table.PageShift) return -Errno.EPERM;
        }
        return 0;
    }

    private Window? FindTable(ulong iova) => Tables.FirstOrDefault(t => t is not null && t.Contains(iova));

    private long UnmapDma(nint arg)
    {
        if (IommuType is null) return -Errno.ENOTTY;
        ref VfioDmaUnmapArg unmap = ref VfioDouble.Arg<VfioDmaUnmapArg>(arg);
        (uint argsz, uint flags, ulong iova, ulong size) = (unmap.Argsz, unmap.Flags, unmap.Iova, unmap.Size);
        uint minsz = VfioDouble.OffsetOfEnd<VfioDmaUnmapArg>(nameof(unmap.Size));
        if (IommuType is 2 or 7)
        {
            // tce_iommu_ioctl(VFIO_IOMMU_UNMAP_DMA): enabled, argsz, flags, the pending default window, then the table.
            if (!Enabled) return -Errno.EPERM;
            if (argsz < minsz || flags != 0) return -Errno.EINVAL;
            long created = CreatePendingDefaultWindow();
            if (created != 0) return created;
            Window? table = FindTable(iova);
            if (table is null) return -Errno.ENXIO;
            if ((size & (table.PageSize - 1)) != 0) return -Errno.EINVAL;
            if ((iova & (table.PageSize - 1)) != 0 || (size > 0 && !table.Contains(iova + size - 1))) return -Errno.EINVAL;   // iommu_tce_clear_param_check
        }
        else if (argsz < minsz || flags != 0) return -Errno.EINVAL;
        ulong unmapped = 0;
        foreach (var mapping in Mappings.Where(m => m.Iova >= iova && m.Iova + m.Size <= iova + size).ToArray())
        {
            Mappings.Remove(mapping);
            unmapped += mapping.Size;
        }
        unmap.Size = unmapped;                 // type1 reports the bytes unmapped in size
        return 0;
    }

    /// <summary>tce_iommu_register_pages, then mm_iommu_new's checks.</summary>
    private long Register(nint arg)
    {
        VfioSpaprRegisterMemoryArg request = VfioDouble.Arg<VfioSpaprRegisterMemoryArg>(arg);
        (uint argsz, uint flags, ulong ua, ulong size) = (request.Argsz, request.Flags, request.Vaddr, request.Size);
        if (argsz < VfioDouble.OffsetOfEnd<VfioSpaprRegisterMemoryArg>(nameof(request.Size)) || flags != 0) return -Errno.EINVAL;
        ulong page = (ulong)Kernel.Kernel.PageSize;
        if ((ua | size) % page != 0 || ua + size < ua) return -Errno.EINVAL;   // tce_iommu_register_pages: PAGE_MASK alignment
        if (Vfio.Preregistered.Any(r => r.Ua == ua && r.Size == size && r.Owner == this)) return -Errno.EBUSY;
        if (Vfio.Preregistered.Any(r => r.Ua < ua + size && ua < r.Ua + r.Size && !(r.Ua == ua && r.Size == size))) return -Errno.EINVAL;
        Vfio.Preregistered.Add((ua, size, RegisteredPageShift(ua, size), this));
        Enabled = true;                                                          // tce_iommu_register_pages enables a v2 container
        return 0;
    }

    /// <summary>
    /// mm_iommu_do_alloc: mem-&gt;pageshift starts at __ffs(ua | size) and is lowered to each page's size: PAGE_SHIFT for
    /// ordinary memory, the huge page's shift for hugetlb memory.
    /// </summary>
    private int RegisteredPageShift(ulong ua, ulong size)
    {
        int shift = BitOperations.TrailingZeroCount(ua | size);
        for (ulong page = ua; page < ua + size; page += (ulong)Kernel.Kernel.PageSize)
        {
            shift = Math.Min(shift, Vfio.BackingPageShift(page));
        }
        return shift;
    }

    /// <summary>tce_iommu_unregister_pages, then mm_iommu_put's checks.</summary>
    private long Unregister(nint arg)
    {
        VfioSpaprRegisterMemoryArg request = VfioDouble.Arg<VfioSpaprRegisterMemoryArg>(arg);
        (uint argsz, uint flags, ulong ua, ulong size) = (request.Argsz, request.Flags, request.Vaddr, request.Size);
        if (argsz < VfioDouble.OffsetOfEnd<VfioSpaprRegisterMemoryArg>(nameof(request.Size)) || flags != 0) return -Errno.EINVAL;
        ulong page = (ulong)Kernel.Kernel.PageSize;
        if ((ua | size) % page != 0) return -Errno.EINVAL;
        int index = Vfio.Preregistered.FindIndex(r => r.Ua == ua && r.Size == size && r.Owner == this);   // mm_iommu_get: exact match
        if (index < 0) return -Errno.ENOENT;
        if (Mappings.Any(m => m.Vaddr >= ua && m.Vaddr + m.Size <= ua + size)) return -Errno.EBUSY;
        Vfio.Preregistered.RemoveAt(index);
        return 0;
    }

    /// <summary>
    /// tce_iommu_create_default_window: the default window is only pending after VFIO_SET_IOMMU (tce_iommu_attach_group
    /// sets def_window_pending); the first MAP_DMA, UNMAP_DMA or SPAPR_TCE_CREATE makes it, 4 KiB pages over tce32_size in
    /// one level, and programs it into every group (set_window). Until then the groups have no hardware table.
    /// </summary>
    private long CreatePendingDefaultWindow()
    {
        if (!DefaultWindowPending) return 0;
        if (Groups.Count == 0) return -Errno.ENODEV;
        long result = CreateTable(12, Vfio.Tce32Size, 1, requested: false, out _);
        if (result == 0) DefaultWindowPending = false;
        return result;
    }

    private long CreateWindow(nint arg)
    {
        // tce_iommu_ioctl(VFIO_IOMMU_SPAPR_TCE_CREATE): groups, argsz, flags, the pending default window, then the window.
        if (Groups.Count == 0) return -Errno.ENXIO;
        ref VfioSpaprTceCreateArg create = ref VfioDouble.Arg<VfioSpaprTceCreateArg>(arg);
        (uint argsz, uint flags, uint pageShift, uint levels, ulong windowSize) =
            (create.Argsz, create.Flags, create.PageShift, create.Levels, create.WindowSize);
        if (argsz < VfioDouble.OffsetOfEnd<VfioSpaprTceCreateArg>(nameof(create.StartAddr)) || flags != 0) return -Errno.EINVAL;
        long created = CreatePendingDefaultWindow();
        if (created != 0) return created;
        CreateLevelsTried.Add((int)levels);
        long result = CreateTable(pageShift, windowSize, levels, requested: true, out ulong start);
        if (result == 0) create.StartAddr = start;
        return result;
    }

    /// <summary>tce_iommu_create_window with PowerNV's get_table_size and pnv_pci_ioda2_table_alloc_pages, in their order.</summary>
    private long CreateTable(uint pageShift, ulong windowSize, uint levels, bool requested, out ulong start)
    {
        start = 0;
        int slot = Array.FindIndex(Tables, t => t is null);                    // tce_iommu_find_free_table
        if (slot < 0) return -Errno.ENOSPC;
        if (pageShift > 63 || (Vfio.DdwPageSizes & (1UL << (int)pageShift)) == 0) return -Errno.EINVAL;   // table_group->pgsizes
        // pnv_pci_ioda2_get_table_size answers 0 (EINVAL) for these; the window must also hold one page.
        if (levels == 0 || levels > Vfio.MaxLevels || !BitOperations.IsPow2(windowSize) || windowSize < 1UL << (int)pageShift) return -Errno.EINVAL;
        // pnv_pci_ioda2_table_alloc_pages: each level is at least one PAGE_SIZE, and the indexed bits stay below bit 55.
        int entriesShift = BitOperations.Log2(windowSize) - (int)pageShift;
        int perLevel = (entriesShift + (int)levels - 1) / (int)levels;
        int levelShift = Math.Max(perLevel + 3, Vfio.HostPageShift);
        if ((levelShift - 3) * (int)levels + (int)pageShift >= 55) return -Errno.EINVAL;
        if (requested && levels < Vfio.FailCreateBelowLevels) return -Errno.ENOMEM;         // a level allocation failed (fragmentation)
        start = slot == 0 ? Vfio.Tce32Start : Vfio.Tce64Start;                  // pnv_pci_ioda2_create_table: num ? tce_bypass_base : tce32_start
        Tables[slot] = new Window(start, windowSize, (int)pageShift, levels);
        return 0;
    }

    private long RemoveWindow(nint arg)
    {
        if (Groups.Count == 0) return -Errno.ENXIO;
        VfioSpaprTceRemoveArg remove = VfioDouble.Arg<VfioSpaprTceRemoveArg>(arg);
        (uint argsz, uint flags, ulong start) = (remove.Argsz, remove.Flags, remove.StartAddr);
        if (argsz < VfioDouble.OffsetOfEnd<VfioSpaprTceRemoveArg>(nameof(remove.StartAddr)) || flags != 0) return -Errno.EINVAL;
        if (DefaultWindowPending && start == 0)
        {
            DefaultWindowPending = false;
            return 0;
        }
        int slot = Array.FindIndex(Tables, t => t is not null && t.Contains(start));
        if (slot < 0) return -Errno.EINVAL;
        Window table = Tables[slot]!;
        Mappings.RemoveAll(m => table.Contains(m.Iova));
        Tables[slot] = null;
        return 0;
    }

    public override void OnClose()
    {
        foreach (VfioGroupState group in Groups.ToArray())
        {
            DetachGroup(group);
        }
        Vfio.Containers.Remove(this);
    }
}

/// <summary>An open /dev/vfio/&lt;n&gt;.</summary>
internal sealed class VfioGroupDouble : DoubleFile
{
    public VfioGroupDouble(VfioDouble vfio, VfioGroupState group) : base(vfio.Kernel, $"/dev/vfio/{group.Id}")
    {
        Vfio = vfio;
        State = group;
        On(VfioIoctls.GroupGetStatus, arg =>
        {
            // vfio_group_ioctl_get_status: minsz ends at flags; VIABLE = 1, CONTAINER_SET = 2.
            ref VfioGroupStatusArg status = ref VfioDouble.Arg<VfioGroupStatusArg>(arg);
            if (status.Argsz < VfioDouble.OffsetOfEnd<VfioGroupStatusArg>(nameof(status.Flags))) return -Errno.EINVAL;
            status.Flags = (group.Viable ? 1u : 0u) | (group.Container is not null ? 2u : 0u);
            return 0;
        });
        On(VfioIoctls.GroupSetContainer, SetContainer);
        On(VfioIoctls.GroupUnsetContainer, _ =>
        {
            if (group.Container is null) return -Errno.EINVAL;
            if (group.OpenDevices > 0) return -Errno.EBUSY;
            group.Container.DetachGroup(group);
            return 0;
        });
        On(VfioIoctls.GroupGetDeviceFd, GetDeviceFd);
    }

    public VfioDouble Vfio { get; }
    public VfioGroupState State { get; }

    private unsafe long SetContainer(nint arg)
    {
        if (State.Container is not null) return -Errno.EINVAL;
        int fd = *(int*)arg;
        if (!Kernel.TryGetFile(fd, out DoubleFile file)) return -Errno.EBADF;
        if (file is not VfioContainerDouble container) return -77;   // EBADFD: not a container or iommufd
        if (!State.Viable) return -Errno.EBUSY;   // iommu_group_claim_dma_owner: a device still has a host driver
        return container.AttachGroup(State);
    }

    private long GetDeviceFd(nint arg)
    {
        if (State.Container?.IommuType is null) return -Errno.EINVAL;
        string name = Marshal.PtrToStringUTF8(arg) ?? "";
        VfioDeviceSpec? spec = State.Devices.FirstOrDefault(d => d.Name == name);
        if (spec is null) return -Errno.ENODEV;
        State.OpenDevices++;
        return Kernel.Install(new VfioDeviceDouble(Kernel, State, spec));
    }

    public override void OnClose()
    {
        // Releasing the last group descriptor unsets its container (vfio_group_fops_release).
        State.Container?.DetachGroup(State);
    }
}

/// <summary>A vfio-pci-like device descriptor.</summary>
internal sealed class VfioDeviceDouble : DoubleFile
{
    public VfioDeviceDouble(KernelDouble kernel, VfioGroupState group, VfioDeviceSpec spec) : base(kernel, $"vfio-device:{spec.Name}")
    {
        Group = group;
        Spec = spec;
        On(VfioIoctls.DeviceGetInfo, arg =>
        {
            // vfio_pci_ioctl_get_info: minsz ends at num_irqs; a capability chain that does not fit raises argsz.
            ref VfioDeviceInfoArg info = ref VfioDouble.Arg<VfioDeviceInfoArg>(arg);
            uint argsz = info.Argsz;
            if (argsz < VfioDouble.OffsetOfEnd<VfioDeviceInfoArg>(nameof(info.NumIrqs))) return -Errno.EINVAL;
            uint flags = spec.Flags;
            if (spec.CapabilityBytes > 0)
            {
                flags |= 1u << 7;   // VFIO_DEVICE_FLAGS_CAPS
                uint needed = VfioDouble.SizeOf<VfioDeviceInfoArg>() + spec.CapabilityBytes;
                if (argsz < needed) info.Argsz = needed;
            }
            info.Flags = flags;
            info.NumRegions = spec.NumRegions;
            info.NumIrqs = spec.NumIrqs;
            return 0;
        });
        On(VfioIoctls.DeviceGetRegionInfo, arg =>
        {
            ref VfioRegionInfoArg region = ref VfioDouble.Arg<VfioRegionInfoArg>(arg);
            if (region.Argsz < VfioDouble.OffsetOfEnd<VfioRegionInfoArg>(nameof(region.Offset))) return -Errno.EINVAL;
            uint index = region.Index;
            if (index >= spec.NumRegions || index == 8) return -Errno.EINVAL;   // no VGA region on this device
            region.Flags = index < 6 ? 0b111u : 0b011u;
            region.Size = index == 7 ? 256UL : 0x1000UL * (index + 1);
            region.Offset = (ulong)index << 40;                              // VFIO_PCI_INDEX_TO_OFFSET
            return 0;
        });
        On(VfioIoctls.DeviceGetIrqInfo, arg =>
        {
            ref VfioIrqInfoArg irq = ref VfioDouble.Arg<VfioIrqInfoArg>(arg);
            if (irq.Argsz < VfioDouble.OffsetOfEnd<VfioIrqInfoArg>(nameof(irq.Count))) return -Errno.EINVAL;
            uint index = irq.Index;
            if (index >= spec.NumIrqs) return -Errno.EINVAL;
            irq.Flags = index == 0 ? 0b0111u : 0b1001u;
            irq.Count = index switch { 0 => 1u, 1 => 8u, 2 => 64u, _ => 1u };
            return 0;
        });
        On(VfioIoctls.DeviceReset, _ =>
        {
            if ((spec.Flags & 1) == 0) return -Errno.EINVAL;
            group.Resets++;
            return 0;
        });
    }

    public VfioGroupState Group { get; }
    public VfioDeviceSpec Spec { get; }

    public override void OnClose() => Group.OpenDevices--;
}

/// <summary>The KVM-VFIO device (virt/kvm/vfio.c): group add/del and, on powerpc, SET_SPAPR_TCE.</summary>
internal sealed class KvmVfioDeviceDouble : DeviceDouble
{
    public const uint DeviceType = 4;

    private readonly VmDouble _vm;

    public KvmVfioDeviceDouble(VmDouble vm, VfioDouble vfio) : base(vm.Kernel, DeviceType)
    {
        _vm = vm;
        On(KvmDeviceIoctls.SetDeviceAttr, SetAttr);
    }

    public List<VfioGroupState> Groups { get; } = [];
    public List<(VfioGroupState Group, int TableFd, TceTableDouble Table, VfioContainerDouble.Window Hardware)> TceLinks { get; } = [];

    /// <summary>kvm_vfio_file_set_spapr_tce, then kvm_spapr_tce_attach_iommu_group, their checks in their order.</summary>
    private long SetSpaprTce(int groupFd, int tableFd)
    {
        if (!Kernel.TryGetFile(groupFd, out DoubleFile file)) return -Errno.EBADF;
        // Only a file on the device's list is looked at; anything else (another VFIO group, a non-VFIO descriptor) is ENOENT.
        if (file is not VfioGroupDouble g || !Groups.Contains(g.State)) return -Errno.ENOENT;
        if (!Kernel.TryGetFile(tableFd, out DoubleFile tableFile)) return -Errno.EBADF;
        // The table must be on this VM's kvm->arch.spapr_tce_tables list.
        if (tableFile is not TceTableDouble table || table.Vm.Vm != _vm) return -Errno.EINVAL;
        // The group's hardware tables (table_group->tables[]): those its container has made. A pending default window is
        // no table. One must be compatible: it_page_shift <= page_shift, the same bus offset, at least the KVM table's size.
        VfioContainerDouble.Window[] hardware = g.State.Container?.Tables.OfType<VfioContainerDouble.Window>().ToArray() ?? [];
        VfioContainerDouble.Window? match = hardware.FirstOrDefault(t =>
            t.PageShift <= table.PageShift &&
            t.Start == table.Offset << table.PageShift &&
            t.Size >= table.Size << table.PageShift);
        if (match is null) return -Errno.EINVAL;
        if (table.LinkedHardwareTables.Contains(match)) return 0;   // already known to this KVM table: kref_get, success
        table.LinkedHardwareTables.Add(match);
        TceLinks.Add((g.State, tableFd, table, match));
        return 0;
    }

    private unsafe long SetAttr(nint arg)
    {
        KvmDeviceAttr request = VfioDouble.Arg<KvmDeviceAttr>(arg);
        (uint group, ulong attr, nint addr) = (request.Group, request.Attr, (nint)request.Addr);
        if (group != 1) return -Errno.ENXIO;
        switch (attr)
        {
            case 1:
            case 2:
            {
                if (!Kernel.TryGetFile(*(int*)addr, out DoubleFile file)) return -Errno.EBADF;
                if (attr == 1)
                {
                    // kvm_vfio_file_add: fget (EBADF), kvm_vfio_file_is_valid (EINVAL), already listed (EEXIST).
                    if (file is not VfioGroupDouble added) return -Errno.EINVAL;
                    if (Groups.Contains(added.State)) return -Errno.EEXIST;
                    Groups.Add(added.State);
                    return 0;
                }
                // kvm_vfio_file_del: fget (EBADF), then a file not in the list is ENOENT; kvm_spapr_tce_release_iommu_group unlinks.
                if (file is not VfioGroupDouble g || !Groups.Remove(g.State)) return -Errno.ENOENT;
                foreach (var link in TceLinks.Where(l => l.Group == g.State).ToArray())
                {
                    TceLinks.Remove(link);
                    link.Table.LinkedHardwareTables.Remove(link.Hardware);
                }
                return 0;
            }
            case 3:
                if (Kernel.Architecture != CpuArchitecture.PowerPC64LE) return -Errno.ENXIO;   // only with CONFIG_SPAPR_TCE_IOMMU
                KvmVfioSpaprTceArg payload = VfioDouble.Arg<KvmVfioSpaprTceArg>(addr);
                return SetSpaprTce(payload.GroupFd, payload.TableFd);
            default:
                return -Errno.ENXIO;
        }
    }
}
