using System.Numerics;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;
using KvmPS.Tests.Doubles;
using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

/// <summary>
/// Where the sPAPR TCE / VFIO contract of the kernel (not of the module) decides: linking a group to a KVM TCE table,
/// writes to a linked table, DDW page sizes against the memory behind them, the 55-bit table limit, IOMMU-page alignment
/// of MAP_DMA and the KVM-VFIO errno order. Each rule is listed in docs/spapr-vfio-contract.md. Run at 4 KiB and 64 KiB
/// host pages (the classes at the end).
/// </summary>
public abstract class SpaprVfioContractTests : IDisposable
{
    private const ulong Liobn = 0x8000_0000;
    private const ulong Ram = 0x40_0000;   // 4 MiB of guest memory at guest address 0

    protected SpaprVfioContractTests(int hostPageSize)
    {
        HostPageSize = hostPageSize;
        Ppc = new PpcDouble(pageSize: hostPageSize);
        Ppc.Kvm.Capabilities[KvmCapability.SpaprTceVfio] = 1;
        Vfio = VfioDouble.AttachTo(Ppc.Kernel, Ppc.Kvm, VfioTestBed.SpaprTce, VfioTestBed.SpaprTceV2);
        Vfio.AddGroup(7, true, VfioTestBed.Pci("0001:01:00.0"));
        Container = VfioContainer.Open(Ppc.Kernel.Kernel, 1, VfioDouble.ContainerPath, "/nonexistent");
        Group = Container.AttachGroup(7);
        Vm = Ppc.Session.CreateVm();
        Region = Vm.AddMemoryRegion(0, Ram);
    }

    protected int HostPageSize { get; }
    protected int HostPageShift => BitOperations.Log2((uint)HostPageSize);
    private protected PpcDouble Ppc { get; }
    private protected VfioDouble Vfio { get; }
    protected VfioContainer Container { get; }
    protected VfioGroup Group { get; }
    protected KvmVm Vm { get; }
    protected GuestMemoryRegion Region { get; }
    private VfioContainerDouble ContainerDouble => Vfio.Containers.Single();
    private KvmVfioDeviceDouble DeviceDouble => Ppc.Kvm.Vms.Single().Devices.OfType<KvmVfioDeviceDouble>().Single();

    public void Dispose()
    {
        Container.Dispose();
        Ppc.Dispose();
    }

    private KvmVfioDevice AddedGroup()
    {
        KvmVfioDevice device = KvmVfioDevice.For(Vm);
        device.AddGroup(Group);
        return device;
    }

    // ---- 1. KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE needs a matching hardware table (kvm_spapr_tce_attach_iommu_group) ----

    [Fact]
    public void Right_after_SET_IOMMU_the_default_window_is_only_pending_and_the_kernel_refuses_the_link()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        SpaprTceTable table = SpaprTceTable.Create(Vm, Liobn, windowSize: 0x4000_0000);
        AddedGroup();

        // The double's own answer (no module involved): the group has no hardware table yet.
        Assert.True(ContainerDouble.DefaultWindowPending);
        var payload = new KvmVfioSpaprTceArg { GroupFd = Group.Descriptor.Number, TableFd = table.Handle.Number };
        var raw = Assert.Throws<KvmIoctlException>(() =>
            KvmVfioDevice.Existing(Vm).Device.SetAttribute(KvmVfioAttributes.Group, KvmVfioAttributes.GroupSetSpaprTce, ref payload));
        Assert.Equal("KVM_SET_DEVICE_ATTR.EINVAL", raw.ErrorId);
    }

    [Fact]
    public void Linking_before_the_default_window_exists_names_the_missing_step_before_the_ioctl()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        SpaprTceTable table = SpaprTceTable.Create(Vm, Liobn, windowSize: 0x4000_0000);
        KvmVfioDevice device = AddedGroup();

        var e = Assert.Throws<KvmPSException>(() => device.SetSpaprTce(Group, table.Handle));

        Assert.Equal("VfioDefaultWindowPending", e.ErrorId);
        Assert.Contains("Register the guest memory first", e.Message);
        Assert.Contains("Register-VfioMemory", KvmPS.Commands.CmdletAdvice.For(e.ErrorId));
        Assert.Empty(DeviceDouble.TceLinks);
        Assert.True(ContainerDouble.DefaultWindowPending);
    }

    [Fact]
    public void Once_memory_is_registered_the_pending_default_window_is_made_and_the_link_succeeds()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        SpaprTceTable table = SpaprTceTable.Create(Vm, Liobn, windowSize: 0x4000_0000);   // 4K pages at bus 0, inside the 2 GiB default window
        KvmVfioDevice device = AddedGroup();

        device.SetSpaprTce(Group, table.Handle);

        Assert.False(ContainerDouble.DefaultWindowPending);
        Assert.Equal((12, 0UL, 0x8000_0000UL), (ContainerDouble.Tables[0]!.PageShift, ContainerDouble.Tables[0]!.Start, ContainerDouble.Tables[0]!.Size));
        var link = Assert.Single(DeviceDouble.TceLinks);
        Assert.Same(Vfio.Groups[7], link.Group);
        Assert.Equal(table.Handle.Number, link.TableFd);
        Assert.Equal([table.Handle.Number], device.LinkedTceTableDescriptors);
        Assert.Empty(ContainerDouble.Mappings);   // the empty UNMAP_DMA that made the window mapped nothing
    }

    [Fact]
    public void A_v1_container_is_enabled_by_SetIommu_so_the_default_window_is_made_for_the_link()
    {
        Container.SetIommu(VfioIommuType.SpaprTce);
        SpaprTceTable table = SpaprTceTable.Create(Vm, Liobn, windowSize: 0x8000_0000);
        KvmVfioDevice device = AddedGroup();

        device.SetSpaprTce(Group, table.Handle);

        Assert.Single(DeviceDouble.TceLinks);
    }

    [Fact]
    public void A_dynamic_window_links_to_a_table_at_its_bus_offset_in_its_page_size()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        VfioDmaWindow window = Container.CreateDmaWindow(HostPageShift, 1UL << 40);
        Assert.Equal(1UL << 59, window.StartAddress);
        // The KVM table's offset is counted in its own pages: (1 << 59) >> page shift.
        SpaprTceTable table = SpaprTceTable.Create(Vm, Liobn, HostPageShift, (1UL << 59) >> HostPageShift, (1UL << 40) >> HostPageShift);
        KvmVfioDevice device = AddedGroup();

        device.SetSpaprTce(Group, table.Handle);

        Assert.Same(ContainerDouble.Tables[1], Assert.Single(DeviceDouble.TceLinks).Hardware);
    }

    [Theory]
    [InlineData(0x10UL, 0x1000UL)]      // bus 0x10000: no window starts there
    [InlineData(0UL, 0x10_0000UL)]      // 4 GiB at bus 0: larger than the 2 GiB default window
    public void A_table_no_hardware_window_matches_is_refused_before_the_ioctl(ulong offset, ulong size)
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        Container.CreateDmaWindow(12, 1UL << 36);   // 4K pages at 1 << 59, next to the 4K default window
        SpaprTceTable table = SpaprTceTable.Create(Vm, Liobn, 12, offset, size);
        KvmVfioDevice device = AddedGroup();

        var e = Assert.Throws<KvmPSException>(() => device.SetSpaprTce(Group, table.Handle));

        Assert.Equal("KvmVfioTceTableIncompatible", e.ErrorId);
        Assert.Contains("default DMA window 0x0-0x7FFFFFFF", e.Message);
        Assert.Empty(DeviceDouble.TceLinks);
    }

    // ---- 2. Writes through a linked table's mapping reach only KVM's copy (kvmppc_tce_put) ----

    [Fact]
    public void The_mapping_of_a_linked_table_is_not_what_the_device_uses()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        SpaprTceTable table = SpaprTceTable.Create(Vm, Liobn, windowSize: 0x4000_0000);
        KvmVfioDevice device = AddedGroup();
        device.SetSpaprTce(Group, table.Handle);
        TceTableDouble kernel = Ppc.Vms.Single().Table(Liobn);

        // What the kernel does with a write to the mmap (the double's rule): KVM's copy changes, the hardware does not.
        kernel[3] = TceEntry.Encode(0x3000, read: true, write: true);
        Assert.Empty(ContainerDouble.Mappings);
        Assert.Single(kernel.LinkedHardwareTables);

        // So the module refuses such writes and points at VFIO_IOMMU_MAP_DMA.
        var e = Assert.Throws<KvmPSException>(() => table.SetEntry(3, 0x3000, read: true, write: true));
        Assert.Equal("TceTableLinkedToVfio", e.ErrorId);
        Assert.Contains("VFIO_IOMMU_MAP_DMA", e.Message);
        Assert.Equal("TceTableLinkedToVfio", Assert.Throws<KvmPSException>(() => table.SetEntry(3, 0UL)).ErrorId);
        Assert.Equal("TceTableLinkedToVfio", Assert.Throws<KvmPSException>(() => table.Clear()).ErrorId);
        Assert.Equal("TceTableLinkedToVfio", Assert.Throws<KvmPSException>(() => table.WriteAll(new ulong[table.EntryCount])).ErrorId);
        Assert.Equal(TceEntry.Encode(0x3000, true, true), table.GetEntry(3).Value);   // reading stays allowed

        // Unlinking (removing the group from the KVM-VFIO device) makes the table the module's to write again.
        device.RemoveGroup(Group);
        table.SetEntry(3, 0UL);
        Assert.Equal(0UL, kernel[3]);
    }

    [Fact]
    public void Importing_into_a_linked_table_is_refused_too()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        SpaprTceTable table = SpaprTceTable.Create(Vm, Liobn, windowSize: 0x10_0000);
        string path = Path.Combine(Path.GetTempPath(), $"kvmps-tce-{Guid.NewGuid():N}.bin");
        try
        {
            table.Export(path);
            AddedGroup().SetSpaprTce(Group, table.Handle);
            Assert.Equal("TceTableLinkedToVfio", Assert.Throws<KvmPSException>(() => table.Import(path)).ErrorId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // ---- 3. DDW page size against the page size of the registered memory (mm_iommu_ua_to_hpa, tce_page_is_contained) ----

    [Fact]
    public void A_window_of_pages_larger_than_ordinary_memory_pages_is_refused_before_the_ioctl()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);

        var e = Assert.Throws<KvmPSException>(() => Container.CreateDmaWindow(24, 1UL << 40));

        Assert.Equal("VfioPageShiftExceedsMemoryPage", e.ErrorId);
        Assert.Contains(VfioPageSize.Describe((ulong)HostPageSize), e.Message);
        Assert.Empty(ContainerDouble.CreateLevelsTried);
    }

    [Fact]
    public void The_kernel_refuses_to_map_ordinary_memory_into_a_window_of_larger_pages()
    {
        // The double's rule, reached with raw ioctls: mm_iommu_ua_to_hpa refuses pageshift > mem->pageshift (EINVAL).
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        ulong ua = 1UL << 34, size = 1UL << 25;   // 16M-aligned, ordinary (PAGE_SIZE) pages
        var register = new VfioSpaprRegisterMemoryArg { Argsz = 24, Vaddr = ua, Size = size };
        Container.Descriptor.Ioctl(VfioIoctls.SpaprRegisterMemory, ref register);
        Assert.Equal(HostPageShift, Vfio.Preregistered.Single().PageShift);
        var create = new VfioSpaprTceCreateArg { Argsz = 40, PageShift = 24, WindowSize = 1UL << 40, Levels = 2 };
        Container.Descriptor.Ioctl(VfioIoctls.SpaprTceCreate, ref create);
        var map = new VfioDmaMapArg { Argsz = 32, Flags = 3, Vaddr = ua, Iova = 1UL << 59, Size = 1UL << 24 };
        Assert.Equal("VFIO_IOMMU_MAP_DMA.EINVAL",
            Assert.Throws<KvmIoctlException>(() => Container.Descriptor.Ioctl(VfioIoctls.IommuMapDma, ref map)).ErrorId);
    }

    [Fact]
    public void Huge_page_backed_registrations_may_back_large_iommu_pages_in_the_double()
    {
        // mm_iommu_do_alloc: mem->pageshift = min(__ffs(ua | size), the compound page shift) - modelled, so 16M pages map.
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        ulong ua = 1UL << 34, size = 1UL << 25;
        Vfio.HugePages.Add((ua, size, 24));
        var register = new VfioSpaprRegisterMemoryArg { Argsz = 24, Vaddr = ua, Size = size };
        Container.Descriptor.Ioctl(VfioIoctls.SpaprRegisterMemory, ref register);
        Assert.Equal(24, Vfio.Preregistered.Single().PageShift);
        var create = new VfioSpaprTceCreateArg { Argsz = 40, PageShift = 24, WindowSize = 1UL << 40, Levels = 2 };
        Container.Descriptor.Ioctl(VfioIoctls.SpaprTceCreate, ref create);
        var map = new VfioDmaMapArg { Argsz = 32, Flags = 3, Vaddr = ua, Iova = 1UL << 59, Size = size };
        Container.Descriptor.Ioctl(VfioIoctls.IommuMapDma, ref map);
        Assert.Single(ContainerDouble.Mappings);
    }

    // ---- 4. The 55-bit limit of pnv_pci_ioda2_table_alloc_pages and the level retry ----

    [Fact]
    public void Levels_that_put_the_tce_index_at_bit_55_are_refused_before_the_ioctl()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        // 2^50 bytes of host-size pages: 5 levels on a 4K host (9 * 5 + 12 = 57), 3 on a 64K host (13 * 3 + 16 = 55).
        int levels = HostPageSize == 0x1000 ? 5 : 3;

        var e = Assert.Throws<KvmPSException>(() => Container.CreateDmaWindow(HostPageShift, 1UL << 50, levels));

        Assert.Equal("VfioWindowTooLarge", e.ErrorId);
        Assert.Contains("55", e.Message);
        Assert.Empty(ContainerDouble.CreateLevelsTried);
    }

    [Fact]
    public void The_kernel_answers_EINVAL_for_those_levels()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        int levels = HostPageSize == 0x1000 ? 5 : 3;
        var create = new VfioSpaprTceCreateArg { Argsz = 40, PageShift = (uint)HostPageShift, WindowSize = 1UL << 50, Levels = (uint)levels };
        Assert.Equal("VFIO_IOMMU_SPAPR_TCE_CREATE.EINVAL",
            Assert.Throws<KvmIoctlException>(() => Container.Descriptor.Ioctl(VfioIoctls.SpaprTceCreate, ref create)).ErrorId);
        create.Levels = (uint)levels - 1;
        Container.Descriptor.Ioctl(VfioIoctls.SpaprTceCreate, ref create);
    }

    [Fact]
    public void The_level_retry_never_tries_a_level_count_past_bit_55()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Vfio.FailCreateBelowLevels = 10;   // every allocation fails: the retry runs to its end
        // 4K host, 2^53 bytes: QEMU's estimate is 3..4 levels and 4 levels reach bit 56 (11 * 4 + 12).
        // 64K host, 2^50 bytes: the estimate is 2..3 levels and 3 levels reach bit 55 (13 * 3 + 16).
        ulong size = HostPageSize == 0x1000 ? 1UL << 53 : 1UL << 50;
        int onlyFit = HostPageSize == 0x1000 ? 3 : 2;

        var e = Assert.Throws<KvmIoctlException>(() => Container.CreateDmaWindow(HostPageShift, size));

        Assert.Equal("VFIO_IOMMU_SPAPR_TCE_CREATE.ENOMEM", e.ErrorId);
        Assert.Equal([onlyFit], ContainerDouble.CreateLevelsTried);
        Assert.Contains("55", e.Message);
    }

    // ---- 5. MAP_DMA alignment is the window's IOMMU page, registration alignment the host page ----

    [Fact]
    public void A_4K_mapping_into_the_4K_default_window_needs_only_4K_alignment()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        ulong host = (ulong)Region.HostAddress + 0x1000;

        VfioDmaMapping mapping = Container.MapDma(host, 0x1000, 0x1000, readable: true, writable: true);

        Assert.Equal((0x1000UL, 0x1000UL, host), (mapping.Iova, mapping.Size, mapping.HostAddress));
        Assert.Single(ContainerDouble.Mappings);
        Assert.False(ContainerDouble.DefaultWindowPending);   // MAP_DMA made the default window
    }

    [Fact]
    public void Registration_still_needs_host_page_alignment()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        ulong host = (ulong)Region.HostAddress;
        if (HostPageSize == 0x1000)
        {
            Container.RegisterMemory(host + 0x1000, 0x1000);
            return;
        }
        Assert.Equal("VfioMemoryNotPageAligned", Assert.Throws<KvmPSException>(() => Container.RegisterMemory(host + 0x1000, 0x1000)).ErrorId);
        var raw = new VfioSpaprRegisterMemoryArg { Argsz = 24, Vaddr = host + 0x1000, Size = 0x1000 };
        Assert.Equal("VFIO_IOMMU_SPAPR_REGISTER_MEMORY.EINVAL",
            Assert.Throws<KvmIoctlException>(() => Container.Descriptor.Ioctl(VfioIoctls.SpaprRegisterMemory, ref raw)).ErrorId);
    }

    [Fact]
    public void A_mapping_into_a_window_of_host_pages_is_aligned_to_the_window_page()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        VfioDmaWindow window = Container.CreateDmaWindow(HostPageShift, 1UL << 36);
        ulong host = (ulong)Region.HostAddress;

        Container.MapDma(host, (ulong)HostPageSize, window.StartAddress, true, true);
        var e = Assert.Throws<KvmPSException>(() => Container.MapDma(host + (ulong)HostPageSize, 0x800, window.StartAddress + (ulong)HostPageSize, true, true));
        Assert.Equal("VfioDmaMappingNotAligned", e.ErrorId);
    }

    // ---- 6. The KVM-VFIO device's errno order (kvm_vfio_file_set_spapr_tce, kvm_spapr_tce_attach_iommu_group) ----

    [Fact]
    public void A_closed_table_descriptor_is_EBADF_and_a_group_not_added_is_ENOENT_before_the_table_is_looked_at()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        SpaprTceTable table = SpaprTceTable.Create(Vm, Liobn, windowSize: 0x4000_0000);
        KvmVfioDevice device = KvmVfioDevice.For(Vm);

        var payload = new KvmVfioSpaprTceArg { GroupFd = Group.Descriptor.Number, TableFd = 9999 };
        Assert.Equal("KVM_SET_DEVICE_ATTR.ENOENT", Raw(device, ref payload).ErrorId);   // the group is not on the device's list
        device.AddGroup(Group);
        Assert.Equal("KVM_SET_DEVICE_ATTR.EBADF", Raw(device, ref payload).ErrorId);    // the table descriptor is not open
        payload.GroupFd = 9999;
        Assert.Equal("KVM_SET_DEVICE_ATTR.EBADF", Raw(device, ref payload).ErrorId);
        payload = new KvmVfioSpaprTceArg { GroupFd = Group.Descriptor.Number, TableFd = Group.Descriptor.Number };
        Assert.Equal("KVM_SET_DEVICE_ATTR.EINVAL", Raw(device, ref payload).ErrorId);   // not a TCE table of this VM
        payload = new KvmVfioSpaprTceArg { GroupFd = table.Handle.Number, TableFd = table.Handle.Number };
        Assert.Equal("KVM_SET_DEVICE_ATTR.ENOENT", Raw(device, ref payload).ErrorId);   // a non-group descriptor is just not listed
    }

    [Fact]
    public void A_group_removed_behind_the_modules_back_gets_an_ENOENT_hint_that_says_to_add_it()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        SpaprTceTable table = SpaprTceTable.Create(Vm, Liobn, windowSize: 0x4000_0000);
        KvmVfioDevice device = AddedGroup();
        device.Device.SetAttribute32(KvmVfioAttributes.Group, KvmVfioAttributes.GroupDel, Group.Descriptor.Number);

        var e = Assert.Throws<KvmIoctlException>(() => device.SetSpaprTce(Group, table.Handle));

        Assert.Equal("KVM_SET_DEVICE_ATTR.ENOENT", e.ErrorId);
        Assert.Contains("Remove the group from the VM and add it again", e.Message);
    }

    [Fact]
    public void Something_that_is_not_a_table_of_this_vm_is_refused_before_the_ioctl()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        KvmVfioDevice device = AddedGroup();

        var e = Assert.Throws<KvmPSException>(() => device.SetSpaprTce(Group, Group.Descriptor));

        Assert.Equal("KvmSpaprTceTableNotFound", e.ErrorId);
        Assert.Contains("New-KvmSpaprTce", KvmPS.Commands.CmdletAdvice.For(e.ErrorId));
        Assert.Empty(DeviceDouble.TceLinks);
    }

    private static KvmIoctlException Raw(KvmVfioDevice device, ref KvmVfioSpaprTceArg payload)
    {
        var copy = payload;
        return Assert.Throws<KvmIoctlException>(() => device.Device.SetAttribute(KvmVfioAttributes.Group, KvmVfioAttributes.GroupSetSpaprTce, ref copy));
    }
}

public sealed class SpaprVfioContractTestsOn4KHost() : SpaprVfioContractTests(0x1000);

public sealed class SpaprVfioContractTestsOn64KHost() : SpaprVfioContractTests(0x1_0000)
{
    /// <summary>Only a 64K host can back a 64K window with ordinary memory, so only here can the page sizes disagree.</summary>
    [Fact]
    public void A_table_of_pages_smaller_than_the_windows_is_refused_before_the_ioctl()
    {
        Container.SetIommu(VfioIommuType.SpaprTceV2);
        Container.RegisterMemory(Region);
        Container.CreateDmaWindow(16, 1UL << 36);
        SpaprTceTable table = SpaprTceTable.Create(Vm, 0x8000_0000, 12, (1UL << 59) >> 12, 0x1000);   // it_page_shift 16 > page_shift 12
        KvmVfioDevice device = KvmVfioDevice.For(Vm);
        device.AddGroup(Group);

        var e = Assert.Throws<KvmPSException>(() => device.SetSpaprTce(Group, table.Handle));

        Assert.Equal("KvmVfioTceTableIncompatible", e.ErrorId);
        Assert.Empty(Ppc.Kvm.Vms.Single().Devices.OfType<KvmVfioDeviceDouble>().Single().TceLinks);
    }
}
