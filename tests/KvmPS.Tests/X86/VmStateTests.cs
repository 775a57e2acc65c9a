using KvmPS.Commands;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Registers;
using KvmPS.Kvm.X86;

namespace KvmPS.Tests.X86;

/// <summary>The in-kernel PIT's state, the VM-wide state file and the before-vCPU VM setup ioctls on the real /dev/kvm.</summary>
public sealed class VmStateTests : IDisposable
{
    private const ulong ApicBaseBsp = 1ul << 8;

    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86CapabilityFact(KvmCapability.PitState2)]
    public void ThePitReadsThreeChannelsAndWritesBackWhatChanged()
    {
        KvmVm vm = PcVm();

        PitState pit = VmPit.Get(vm);

        Assert.Equal(PitState.Size, pit.Raw.Length);
        Assert.Equal([0, 1, 2], pit.Channels.Select(c => c.Channel));
        pit.Channels[0].Mode = 2;
        pit.Channels[0].Count = 0x1234;
        pit.Channels[2].Count = 0x100;
        pit.Flags = PitStateFlags.HpetLegacy;
        VmPit.Set(vm, pit);

        PitState back = VmPit.Get(vm);
        Assert.Equal((2, 0x1234u), (back.Channels[0].Mode, back.Channels[0].Count));
        Assert.Equal(0x100u, back.Channels[2].Count);
        Assert.True(back.Flags.HasFlag(PitStateFlags.HpetLegacy));
    }

    [KvmX86CapabilityFact(KvmCapability.PitState2)]
    public void WithoutAPitItsStateIsRefusedBeforeAnyIoctl()
    {
        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();

        var error = Assert.Throws<KvmPSException>(() => VmPit.Get(vm));

        Assert.Equal("NoPit", error.ErrorId);
        Assert.Contains("New-KvmPit", CmdletAdvice.For(error.ErrorId), StringComparison.Ordinal);
        Assert.Equal("NoPit", Assert.Throws<KvmPSException>(() => VmPit.Set(vm, new PitState(new byte[PitState.Size]))).ErrorId);
    }

    [Fact]
    public void APitStateIsExactlyTheStructsSize() =>
        Assert.Equal("InvalidPitState", Assert.Throws<KvmPSException>(() => new PitState(new byte[4])).ErrorId);

    [KvmX86CapabilityFact(KvmCapability.PitState2)]
    public void TheVmStateRoundTripsThroughAFileIntoANewVm()
    {
        KvmVm first = PcVm();
        IrqchipState master = VmIrqchip.Get(first, IrqchipId.PicMaster);
        master.Pic!.Imr = 0xa5;
        VmIrqchip.Set(first, master);
        PitState pit = VmPit.Get(first);
        pit.Channels[0].Mode = 3;
        pit.Channels[0].Count = 0x4321;
        VmPit.Set(first, pit);
        VmClock.Set(first, 5_000_000_000);
        string path = Path.Combine(Path.GetTempPath(), $"kvmps-vm-{Guid.NewGuid():N}.json");
        try
        {
            VmStateSnapshot.Export(first, path);
            string json = File.ReadAllText(path);
            Assert.Contains("\"Format\": \"KvmPS.VmState/1\"", json, StringComparison.Ordinal);
            Assert.Contains("\"Chip\": \"PicMaster\"", json, StringComparison.Ordinal);
            Assert.Contains("\"Mode\": 3", json, StringComparison.Ordinal);

            KvmVm second = PcVm();
            VmStateSnapshot.Import(second, path);

            Assert.Equal(0xa5, VmIrqchip.Get(second, IrqchipId.PicMaster).Pic!.Imr);
            PitChannelState channel = VmPit.Get(second).Channels[0];
            Assert.Equal((3, 0x4321u), (channel.Mode, channel.Count));
            ulong clock = VmClock.Get(second).Clock;
            Assert.InRange(clock, 5_000_000_000ul, 65_000_000_000ul);
            Assert.Equal(VmIrqchip.Get(first, IrqchipId.Ioapic).Raw, VmIrqchip.Get(second, IrqchipId.Ioapic).Raw);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [KvmX86CapabilityFact(KvmCapability.PitState2)]
    public void AStateIsRestoredOnlyIntoAVmWithTheSameDevices()
    {
        VmState state = VmStateSnapshot.Capture(PcVm());
        Assert.Equal(3, state.Irqchip!.Count);
        Assert.NotNull(state.Pit);

        KvmVm bare = _session.CreateVm();
        Assert.Equal("VmStateNeedsIrqchip", Assert.Throws<KvmPSException>(() => VmStateSnapshot.Restore(bare, state)).ErrorId);
        bare.CreateIrqchip();
        Assert.Equal("VmStateNeedsPit", Assert.Throws<KvmPSException>(() => VmStateSnapshot.Restore(bare, state)).ErrorId);

        VmState plain = VmStateSnapshot.Capture(_session.CreateVm());
        Assert.Null(plain.Irqchip);
        Assert.Null(plain.Pit);
        VmStateSnapshot.Restore(_session.CreateVm(), plain);
    }

    [KvmX86Fact]
    public void AVmStateFileOfTheWrongFormatIsRefused()
    {
        KvmVm vm = _session.CreateVm();
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"Format\":\"KvmPS.VcpuState/1\"}");
            Assert.Equal("InvalidVmStateFile", Assert.Throws<KvmPSException>(() => VmStateSnapshot.Import(vm, path)).ErrorId);
            File.WriteAllText(path, "{\"Format\":\"KvmPS.VmState/1\",\"Pit\":{\"Raw\":\"AAAA\"}}");
            Assert.Equal("InvalidVmStateFile", Assert.Throws<KvmPSException>(() => VmStateSnapshot.Import(vm, path)).ErrorId);
            File.WriteAllText(path, "not json");
            Assert.Equal("InvalidVmStateFile", Assert.Throws<KvmPSException>(() => VmStateSnapshot.Import(vm, path)).ErrorId);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal("VmStateFileNotFound", Assert.Throws<KvmPSException>(() => VmStateSnapshot.Import(vm, path)).ErrorId);
    }

    [KvmX86CapabilityFact(KvmCapability.SetBootCpuId)]
    public void TheBootCpuIdMakesThatVcpuTheBootstrapProcessor()
    {
        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();
        X86VmSetup.SetBootCpuId(vm, 1);
        KvmVcpu zero = vm.CreateVcpu(0);
        KvmVcpu one = vm.CreateVcpu(1);

        Assert.Equal(0ul, ApicBase(zero) & ApicBaseBsp);
        Assert.Equal(ApicBaseBsp, ApicBase(one) & ApicBaseBsp);

        var error = Assert.Throws<KvmPSException>(() => X86VmSetup.SetBootCpuId(vm, 0));
        Assert.Equal("BootCpuAfterVcpus", error.ErrorId);
        Assert.Contains("New-KvmVm -BootCpuId", CmdletAdvice.For(error.ErrorId), StringComparison.Ordinal);
        Assert.Equal("InvalidBootCpuId", Assert.Throws<KvmPSException>(() => X86VmSetup.SetBootCpuId(_session.CreateVm(), -1)).ErrorId);
    }

    [KvmX86CapabilityFact(KvmCapability.SetIdentityMapAddr)]
    public void TheIdentityMapAddressIsSetBeforeVcpusOnAFreePageBelow4GiB()
    {
        KvmVm vm = _session.CreateVm();
        X86VmSetup.SetIdentityMapAddress(vm, 0xfeff_c000);

        Assert.Equal("InvalidIdentityMapAddress", Assert.Throws<KvmPSException>(() => X86VmSetup.SetIdentityMapAddress(vm, 0xfeff_c001)).ErrorId);
        Assert.Equal("InvalidIdentityMapAddress", Assert.Throws<KvmPSException>(() => X86VmSetup.SetIdentityMapAddress(vm, 1ul << 32)).ErrorId);
        Assert.Equal("InvalidIdentityMapAddress", Assert.Throws<KvmPSException>(() => X86VmSetup.SetIdentityMapAddress(vm, KvmVm.X86TssAddress)).ErrorId);
        vm.CreateVcpu();
        Assert.Equal("IdentityMapAfterVcpus", Assert.Throws<KvmPSException>(() => X86VmSetup.SetIdentityMapAddress(vm, 0xfeff_c000)).ErrorId);
    }

    [KvmX86Fact]
    public void TheXenHvmConfigIsSetWhereTheHostHasXenHvmAndRefusedClearlyElsewhere()
    {
        KvmVm vm = _session.CreateVm();
        if (vm.CheckExtension(KvmCapability.XenHvm) > 0)
        {
            X86VmSetup.SetXenHvmConfig(vm, 0x4000_0000, 0, 0, 0, 0);
            return;
        }
        var error = Assert.Throws<KvmPSException>(() => X86VmSetup.SetXenHvmConfig(vm, 0x4000_0000, 0, 0, 0, 0));
        Assert.Equal("KVM_CAP_XEN_HVM.NotSupported", error.ErrorId);
        Assert.Equal(ErrorKind.NotImplemented, error.Kind);
        Assert.Contains("does not support", error.Message, StringComparison.Ordinal);
    }

    private KvmVm PcVm()
    {
        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();
        vm.CreatePit2();
        return vm;
    }

    private static ulong ApicBase(KvmVcpu vcpu) =>
        vcpu.GetRegisters(RegisterBank.Special).Single(r => r.Name == "apic_base").Value;
}
