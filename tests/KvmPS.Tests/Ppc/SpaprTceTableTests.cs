using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Ppc;

/// <summary>KVM TCE tables, run at both host page sizes POWER uses (see the two classes at the end).</summary>
public abstract class SpaprTceTableTests : IDisposable
{
    private readonly PpcDouble _ppc;
    private readonly KvmVm _vm;
    private readonly int _baselineDescriptors;
    private readonly int _baselineMappings;

    protected SpaprTceTableTests(int hostPageSize)
    {
        HostPageSize = hostPageSize;
        _ppc = new PpcDouble(pageSize: hostPageSize);
        _vm = _ppc.Session.CreateVm();
        _baselineDescriptors = _ppc.Kernel.OpenDescriptors;
        _baselineMappings = _ppc.Kernel.LiveMappings;
    }

    protected int HostPageSize { get; }

    private PpcVmDouble VmDouble => _ppc.Vms.Single();

    public void Dispose() => _ppc.Dispose();

    [Fact]
    public void Prefers_the_64_bit_ioctl_and_maps_one_entry_per_page_rounded_to_the_host_page()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x80000000, pageShift: 16, offset: 0x10, size: 1000);

        Assert.Equal(["KVM_CREATE_SPAPR_TCE_64"], VmDouble.CreateCalls);
        TceTableDouble kernel = VmDouble.Table(0x80000000);
        Assert.Equal((16, 0x10UL, 1000UL), (kernel.PageShift, kernel.Offset, kernel.Size));
        ulong mapped = HostPageSize == 0x1000 ? 8192UL : 0x1_0000UL;   // 8000 bytes of entries, rounded up to PAGE_SIZE
        Assert.Equal([mapped], kernel.MmapLengths);
        Assert.Equal(mapped, table.MappedLength);
        Assert.Equal(1000UL, table.EntryCount);
        Assert.Equal(0x100000UL, table.BusOffset);
        Assert.Equal(1000UL << 16, table.WindowSize);
        Assert.True(table.CreatedWith64BitIoctl);
        Assert.Same(table, Assert.Single(_vm.Dependents<SpaprTceTable>()));
    }

    [Fact]
    public void Window_size_form_uses_4k_pages_at_offset_zero()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x71000003, windowSize: 0x4000_0000);

        TceTableDouble kernel = VmDouble.Table(0x71000003);
        Assert.Equal((12, 0UL, 0x40000UL), (kernel.PageShift, kernel.Offset, kernel.Size));
        Assert.Equal(0x40000UL, table.EntryCount);
        Assert.Equal(0x4000_0000UL, table.WindowSize);
    }

    [Fact]
    public void Falls_back_to_the_32_bit_ioctl_without_KVM_CAP_SPAPR_TCE_64()
    {
        _ppc.Kvm.Capabilities.Remove(KvmCapability.SpaprTce64);

        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x1234_5678_9ABC, pageShift: 12, offset: 0, size: 512);

        Assert.Equal(["KVM_CREATE_SPAPR_TCE"], VmDouble.CreateCalls);
        Assert.Equal(0x1234_5678_9ABCUL, VmDouble.Table(0x1234_5678_9ABC).Liobn);
        Assert.Equal(512UL, VmDouble.Table(0x1234_5678_9ABC).Size);
        Assert.False(table.CreatedWith64BitIoctl);
    }

    [Theory]
    [InlineData(16, 0UL, 16UL)]
    [InlineData(12, 1UL, 16UL)]
    [InlineData(12, 0UL, 0x100000UL)]
    public void Windows_the_32_bit_ioctl_cannot_express_need_KVM_CAP_SPAPR_TCE_64(int pageShift, ulong offset, ulong size)
    {
        _ppc.Kvm.Capabilities.Remove(KvmCapability.SpaprTce64);

        var e = Assert.Throws<KvmPSException>(() => SpaprTceTable.Create(_vm, 1, pageShift, offset, size));

        Assert.Equal("KVM_CAP_SPAPR_TCE_64.NotSupported", e.ErrorId);
        Assert.Equal(ErrorKind.NotImplemented, e.Kind);
        Assert.Empty(VmDouble.CreateCalls);
    }

    [Fact]
    public void Without_either_capability_the_host_does_not_support_tables()
    {
        _ppc.Kvm.Capabilities.Remove(KvmCapability.SpaprTce64);
        _ppc.Kvm.Capabilities.Remove(KvmCapability.SpaprTce);

        var e = Assert.Throws<KvmPSException>(() => SpaprTceTable.Create(_vm, 1, 0x10000));

        Assert.Equal("KVM_CAP_SPAPR_TCE.NotSupported", e.ErrorId);
        Assert.Contains("does not support", e.Message);
        Assert.Empty(VmDouble.CreateCalls);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(0x1800UL)]
    public void Window_size_must_be_a_nonzero_multiple_of_4k(ulong windowSize)
    {
        var e = Assert.Throws<KvmPSException>(() => SpaprTceTable.Create(_vm, 1, windowSize));

        Assert.Equal("InvalidTceWindowSize", e.ErrorId);
        Assert.Empty(VmDouble.CreateCalls);
    }

    [Theory]
    [InlineData(11, 0UL, 1UL, "InvalidTcePageShift")]
    [InlineData(35, 0UL, 1UL, "InvalidTcePageShift")]
    [InlineData(12, 0UL, 0UL, "InvalidTceWindowSize")]
    [InlineData(34, 0x3FFFFFFFUL, 1UL, "TceWindowOverflow")]
    [InlineData(12, ulong.MaxValue, 2UL, "TceWindowOverflow")]
    public void Page_shift_size_and_overflow_are_checked_before_the_ioctl(int pageShift, ulong offset, ulong size, string errorId)
    {
        var e = Assert.Throws<KvmPSException>(() => SpaprTceTable.Create(_vm, 1, pageShift, offset, size));

        Assert.Equal(errorId, e.ErrorId);
        Assert.Empty(VmDouble.CreateCalls);
    }

    [Fact]
    public void Largest_window_the_kernel_accepts_is_not_rejected_by_the_precheck()
    {
        SpaprTceWindow window = SpaprTceWindow.FromPages(1, 34, 0x3FFFFFFE, 1);

        Assert.Equal(ulong.MaxValue >> 34, window.Offset + window.Size);
    }

    [Fact]
    public void A_LIOBN_in_use_is_the_kernels_EBUSY_with_a_hint()
    {
        SpaprTceTable.Create(_vm, 7, 0x10000);

        var e = Assert.Throws<KvmIoctlException>(() => SpaprTceTable.Create(_vm, 7, 0x20000));

        Assert.Equal("KVM_CREATE_SPAPR_TCE_64.EBUSY", e.ErrorId);
        Assert.Contains("LIOBN 0x7", e.Message);
        Assert.Contains("Remove-KvmSpaprTce", KvmPS.Commands.CmdletAdvice.For(e.ErrorId));
        Assert.Single(_vm.Dependents<SpaprTceTable>());
    }

    [Fact]
    public void The_locked_memory_limit_is_the_kernels_ENOMEM_with_a_hint()
    {
        _ppc.MemlockLimit = 64 * 1024;

        var e = Assert.Throws<KvmIoctlException>(() => SpaprTceTable.Create(_vm, 1, 0x1000_0000));

        Assert.Equal("KVM_CREATE_SPAPR_TCE_64.ENOMEM", e.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, e.Kind);
        Assert.Contains("RLIMIT_MEMLOCK", e.Message);
        Assert.Equal(_baselineDescriptors, _ppc.Kernel.OpenDescriptors);
    }

    [Fact]
    public void Entries_the_kernel_writes_are_read_through_the_mapping_and_decoded()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x10, pageShift: 12, offset: 0x100, size: 64);
        TceTableDouble kernel = VmDouble.Table(0x10);

        kernel.PutTce(0x105000, 0x0000_0001_2345_6003);
        kernel.PutTce(0x13F000, 0x8000_1001);

        TceEntry entry = table.GetEntryAt(0x105ABC);
        Assert.Equal(5UL, entry.Index);
        Assert.Equal(0x105000UL, entry.IoBusAddress);
        Assert.Equal(0x0000_0001_2345_6003UL, entry.Value);
        Assert.Equal(0x1_2345_6000UL, entry.RealAddress);
        Assert.Equal(0x12_3456UL, entry.RealPageNumber);
        Assert.True(entry.Read);
        Assert.True(entry.Write);
        Assert.Equal(0x10UL, entry.Liobn);
        TceEntry last = table.GetEntry(63);
        Assert.True(last.Read);
        Assert.False(last.Write);
        Assert.Equal([5UL, 63UL], table.GetNonZeroEntries().Select(e => e.Index));
    }

    [Fact]
    public void Real_page_number_is_in_4k_units_whatever_the_IOMMU_page_size()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x11, pageShift: 16, offset: 0, size: 4);
        VmDouble.Table(0x11).PutTce(0x20000, 0x3_0000 | TceEntry.WriteBit);

        TceEntry entry = table.GetEntry(2);

        Assert.Equal(0x30UL, entry.RealPageNumber);
        Assert.Equal(0x30000UL, entry.RealAddress);
        Assert.False(entry.Read);
        Assert.True(entry.Write);
    }

    [Theory]
    [InlineData(0xFFFFFUL)]
    [InlineData(0x141000UL)]
    [InlineData(ulong.MaxValue)]
    public void Bus_addresses_outside_the_window_are_rejected(ulong ioba)
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x12, pageShift: 12, offset: 0x100, size: 0x41);

        var e = Assert.Throws<KvmPSException>(() => table.GetEntryAt(ioba));

        Assert.Equal("IoBusAddressOutsideWindow", e.ErrorId);
    }

    [Fact]
    public void Index_past_the_end_is_rejected()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x13, 0x4000);

        Assert.Equal("TceIndexOutOfRange", Assert.Throws<KvmPSException>(() => table.GetEntry(4)).ErrorId);
        Assert.Equal("TceIndexOutOfRange", Assert.Throws<KvmPSException>(() => table.SetEntry(4, 1)).ErrorId);
    }

    [Fact]
    public void Entries_userspace_writes_are_what_the_kernel_sees()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x14, pageShift: 16, offset: 0, size: 8);
        TceTableDouble kernel = VmDouble.Table(0x14);

        TceEntry mapped = table.SetEntry(1, 0x7_0000, read: true, write: false);
        table.SetEntry(2, 0xDEAD_BEEF_0000_0000);

        Assert.Equal(0x7_0001UL, kernel[1]);
        Assert.Equal(0xDEAD_BEEF_0000_0000UL, kernel[2]);
        Assert.True(mapped.Read);
        Assert.False(mapped.Write);
    }

    [Fact]
    public void A_real_address_must_be_aligned_to_the_IOMMU_page()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x15, pageShift: 16, offset: 0, size: 8);

        var e = Assert.Throws<KvmPSException>(() => table.SetEntry(0, 0x1000, read: true, write: true));

        Assert.Equal("TceAddressNotAligned", e.ErrorId);
        Assert.Equal(0UL, VmDouble.Table(0x15)[0]);
    }

    [Fact]
    public void Clear_zeroes_every_entry()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x16, 0x40000);
        TceTableDouble kernel = VmDouble.Table(0x16);
        kernel[0] = 1;
        kernel[63] = 0x1003;

        table.Clear();

        Assert.Empty(table.GetNonZeroEntries());
        Assert.Equal(0UL, kernel[63]);
    }

    [Fact]
    public void Export_then_clear_then_import_restores_every_entry()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x17, pageShift: 12, offset: 4, size: 300);
        TceTableDouble kernel = VmDouble.Table(0x17);
        for (ulong i = 0; i < 300; i++)
        {
            kernel[i] = i % 7 == 0 ? 0 : (i << 12) | (i % 4);
        }
        ulong[] before = table.ReadAll();
        string path = Path.Combine(Path.GetTempPath(), $"kvmps-tce-{Guid.NewGuid():N}.bin");
        try
        {
            table.Export(path);
            table.Clear();
            Assert.Empty(table.GetNonZeroEntries());

            table.Import(path);

            Assert.Equal(before, table.ReadAll());
            Assert.Equal(SpaprTceTableFile.HeaderLength + 300 * 8, new FileInfo(path).Length);
            Assert.Equal("KVMPSTCE"u8.ToArray(), File.ReadAllBytes(path)[..8]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0x18UL, 12, 4UL, 301UL)]
    [InlineData(0x99UL, 12, 4UL, 300UL)]
    [InlineData(0x18UL, 16, 4UL, 300UL)]
    [InlineData(0x18UL, 12, 0UL, 300UL)]
    public void Import_rejects_a_file_of_another_table(ulong liobn, int pageShift, ulong offset, ulong size)
    {
        SpaprTceTable source = SpaprTceTable.Create(_vm, 0x18, pageShift: 12, offset: 4, size: 300);
        SpaprTceTable target = SpaprTceTable.Create(_vm, liobn == 0x18 ? 0x19 : liobn, pageShift, offset, size);
        VmDouble.Table(target.Liobn)[0] = 0x5003;
        string path = Path.Combine(Path.GetTempPath(), $"kvmps-tce-{Guid.NewGuid():N}.bin");
        try
        {
            source.Export(path);

            var e = Assert.Throws<KvmPSException>(() => target.Import(path));

            Assert.Equal("TceTableMismatch", e.ErrorId);
            Assert.Contains("LIOBN 0x18", e.Message);
            Assert.Equal(0x5003UL, VmDouble.Table(target.Liobn)[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Import_rejects_foreign_truncated_and_future_files()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x1A, 0x4000);
        string path = Path.Combine(Path.GetTempPath(), $"kvmps-tce-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, new byte[100]);
            Assert.Equal("TceFileNotRecognized", Assert.Throws<KvmPSException>(() => table.Import(path)).ErrorId);

            table.Export(path);
            byte[] good = File.ReadAllBytes(path);
            File.WriteAllBytes(path, good[..^8]);
            Assert.Equal("TceFileLengthMismatch", Assert.Throws<KvmPSException>(() => table.Import(path)).ErrorId);

            byte[] future = (byte[])good.Clone();
            future[8] = 2;
            File.WriteAllBytes(path, future);
            Assert.Equal("TceFileVersionUnsupported", Assert.Throws<KvmPSException>(() => table.Import(path)).ErrorId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Remove_unmaps_closes_and_frees_the_LIOBN()
    {
        SpaprTceTable table = SpaprTceTable.Create(_vm, 0x1B, 0x4000);

        table.Dispose();

        Assert.True(table.IsRemoved);
        Assert.Empty(_vm.Dependents<SpaprTceTable>());
        Assert.Empty(VmDouble.Tables);
        Assert.Equal(0UL, _ppc.LockedBytes);
        Assert.Equal(_baselineDescriptors, _ppc.Kernel.OpenDescriptors);
        Assert.Equal(_baselineMappings, _ppc.Kernel.LiveMappings);
        Assert.Equal("TceTableRemoved", Assert.Throws<KvmPSException>(() => table.GetEntry(0)).ErrorId);
        SpaprTceTable.Create(_vm, 0x1B, 0x4000);
    }

    [Fact]
    public void Removing_the_VM_releases_its_tables()
    {
        int descriptors = _ppc.Kernel.OpenDescriptors - 1;
        int mappings = _ppc.Kernel.LiveMappings;
        SpaprTceTable first = SpaprTceTable.Create(_vm, 1, 0x4000);
        SpaprTceTable second = SpaprTceTable.Create(_vm, 2, pageShift: 16, offset: 0, size: 4);

        _ppc.Session.RemoveVm(_vm);

        Assert.True(first.IsRemoved);
        Assert.True(second.IsRemoved);
        Assert.Equal(descriptors, _ppc.Kernel.OpenDescriptors);
        Assert.Equal(mappings, _ppc.Kernel.LiveMappings);
    }

    [Fact]
    public void On_an_x86_kernel_the_ioctl_does_not_exist_even_if_reached()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        using var _ = kernel;
        kvm.Capabilities[KvmCapability.SpaprTce] = 1;
        kvm.Capabilities[KvmCapability.SpaprTce64] = 1;
        using var session = new KvmSession(kernel.Kernel);
        KvmVm vm = session.CreateVm();

        var e = Assert.Throws<IoctlUnavailableException>(() => SpaprTceTable.Create(vm, 1, 0x4000));

        Assert.Equal(ErrorKind.NotImplemented, e.Kind);
        Assert.Contains("x86_64", e.Message);
    }
}

public sealed class SpaprTceTableTestsOn4KHost() : SpaprTceTableTests(0x1000);

public sealed class SpaprTceTableTestsOn64KHost() : SpaprTceTableTests(0x1_0000);
