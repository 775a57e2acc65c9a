using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;

namespace KvmPS.Tests.Kvm;

public sealed class MemoryRegionTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmFact]
    public void OverlappingSlotGivesTheKernelsEexistNamingTheOtherSlot()
    {
        KvmVm vm = _session.CreateVm();
        vm.AddMemoryRegion(0x10000, 0x4000, slot: 0);

        var error = Assert.Throws<KvmIoctlException>(() => vm.AddMemoryRegion(0x12000, 0x4000, slot: 1));

        Assert.Equal("KVM_SET_USER_MEMORY_REGION.EEXIST", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, error.Kind);
        Assert.Equal(Errno.EEXIST, error.ErrnoValue);
        Assert.Contains("overlaps slot 0", error.Message);
        Assert.Contains("KVM_SET_USER_MEMORY_REGION", error.Message);
        Assert.Single(vm.MemoryRegions);
    }

    [KvmFact]
    public void AccessOutsideEveryRegionIsAClearErrorNotACrash()
    {
        KvmVm vm = _session.CreateVm();
        GuestMemoryRegion region = vm.AddMemoryRegion(0x1000, 0x1000);
        region.Write(0x1ff0, new byte[16]);

        foreach ((ulong address, int length) in new[] { (0x0ul, 1), (0x2000ul, 1), (0x1ff0ul, 17), (ulong.MaxValue - 3, 8), (0xfffful, 2) })
        {
            var read = Assert.Throws<KvmPSException>(() => vm.ReadGuestMemory(address, length));
            Assert.Equal("GuestAddressNotMapped", read.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, read.Kind);
            var write = Assert.Throws<KvmPSException>(() => vm.WriteGuestMemory(address, new byte[length]));
            Assert.Equal("GuestAddressNotMapped", write.ErrorId);
        }
        Assert.Equal("GuestAddressNotMapped", Assert.Throws<KvmPSException>(() => vm.ReadGuestMemory(0x1000, int.MaxValue)).ErrorId);
        Assert.Equal("GuestAddressOutOfRegion", Assert.Throws<KvmPSException>(() => region.Read(0x1ff8, 9)).ErrorId);
        Assert.Equal(new byte[16], vm.ReadGuestMemory(0x1ff0, 16));
    }

    [KvmFact]
    public void PreconditionsAreCheckedBeforeTheIoctl()
    {
        KvmVm vm = _session.CreateVm();
        Assert.Equal("InvalidMemoryRegionSize", Assert.Throws<KvmPSException>(() => vm.AddMemoryRegion(0x1000, 0)).ErrorId);
        Assert.Equal("InvalidMemoryRegionSize", Assert.Throws<KvmPSException>(() => vm.AddMemoryRegion(0x1000, 100)).ErrorId);
        Assert.Equal("InvalidGuestAddress", Assert.Throws<KvmPSException>(() => vm.AddMemoryRegion(0x1001, 0x1000)).ErrorId);
        Assert.Equal("InvalidMemorySlot", Assert.Throws<KvmPSException>(() => vm.AddMemoryRegion(0x1000, 0x1000, slot: int.MaxValue)).ErrorId);
        vm.AddMemoryRegion(0x1000, 0x1000, slot: 3);
        Assert.Equal("MemorySlotInUse", Assert.Throws<KvmPSException>(() => vm.AddMemoryRegion(0x8000, 0x1000, slot: 3)).ErrorId);
    }

    [KvmFact]
    public void RemovedRegionFreesItsSlotAndRange()
    {
        KvmVm vm = _session.CreateVm();
        GuestMemoryRegion first = vm.AddMemoryRegion(0x1000, 0x2000);
        vm.RemoveMemoryRegion(first);
        Assert.True(first.IsRemoved);
        GuestMemoryRegion again = vm.AddMemoryRegion(0x1000, 0x2000);
        Assert.Equal(first.Slot, again.Slot);
        Assert.Equal("MemoryRegionNotFound", Assert.Throws<KvmPSException>(() => vm.RemoveMemoryRegion(first)).ErrorId);
    }

    [KvmFact]
    public void ReadOnlyAndDirtyLoggingFlagsReachTheKernel()
    {
        KvmVm vm = _session.CreateVm();
        if (vm.CheckExtension(KvmCapability.ReadonlyMem) > 0)
        {
            Assert.True(vm.AddMemoryRegion(0x1000, 0x1000, flags: MemoryRegionFlags.ReadOnly).ReadOnly);
        }
        Assert.True(vm.AddMemoryRegion(0x10000, 0x1000, flags: MemoryRegionFlags.LogDirtyPages).LogDirtyPages);
    }
}

public sealed class DirtyLogTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86Fact]
    public void PagesTheGuestWroteAreReportedOnceThenTheLogResets()
    {
        KvmVm vm = _session.CreateVm();
        // mov byte [0x12000], 1 ; mov byte [0x14000], 2 ; hlt
        vm.AddMemoryRegion(0x1000, 0x1000).Write(0x1000, [0xC6, 0x06, 0x00, 0x20, 0x01, 0xC6, 0x06, 0x00, 0x40, 0x02, 0xF4]);
        GuestMemoryRegion logged = vm.AddMemoryRegion(0x10000, 0x8000, flags: MemoryRegionFlags.LogDirtyPages);
        KvmVcpu vcpu = vm.CreateVcpu();
        vcpu.SetRegisters(new Dictionary<string, ulong>(EmbeddedGuest.RealModeEntry(0x1000)) { ["ds.base"] = 0x10000, ["ds.selector"] = 0x1000 });

        Assert.Empty(logged.GetDirtyPages());
        Assert.Equal(KvmExitReason.Hlt, vcpu.Run(TimeSpan.FromSeconds(5)).Reason);

        Assert.Equal([0x12000ul, 0x14000ul], logged.GetDirtyPages().Select(p => p.GuestAddress));
        Assert.Empty(logged.GetDirtyPages());
        Assert.Equal(new byte[] { 1 }, vm.ReadGuestMemory(0x12000, 1));
        Assert.Equal("DirtyLoggingNotEnabled", Assert.Throws<KvmPSException>(() => vm.MemoryRegions[0].GetDirtyPages()).ErrorId);
    }
}
