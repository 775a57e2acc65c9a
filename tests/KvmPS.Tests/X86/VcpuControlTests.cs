using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;
using KvmPS.Kvm.X86;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.X86;

/// <summary>
/// KVM_KVMCLOCK_CTRL (api.txt 4.70), KVM_SET_SIGNAL_MASK (4.21), the MCE ioctls (4.105-4.107) and the legacy
/// KVM_SET_CPUID (4.20), on the real /dev/kvm and through the double.
/// </summary>
public sealed class VcpuControlTests : IDisposable
{
    /// <summary>MSR_KVM_SYSTEM_TIME_NEW: the guest physical address of its pvclock page, bit 0 enables it.</summary>
    private const uint KvmSystemTimeMsr = 0x4b564d01;
    private const uint McgCapMsr = 0x179;

    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    private KvmVcpu RealModeGuest(byte[] code) => Tests.RealModeGuest.Create(_session, code);

    [KvmX86CapabilityFact(KvmCapability.KvmclockCtrl)]
    public void TheClockPauseNeedsAGuestKvmclock()
    {
        KvmVcpu vcpu = RealModeGuest([0xf4]);

        var error = Assert.Throws<KvmIoctlException>(() => VcpuClockPause.Notify(vcpu));
        Assert.Equal("KVM_KVMCLOCK_CTRL.EINVAL", error.ErrorId);
        Assert.Contains("kvmclock", error.Message, StringComparison.Ordinal);

        X86Msrs.Set(vcpu, [(KvmSystemTimeMsr, 0x8000ul | 1)]);
        VcpuClockPause.Notify(vcpu);
    }

    [KvmX86Fact]
    public void ASignalMaskLeavesTheKickSignalThrough()
    {
        KvmVcpu vcpu = RealModeGuest([0xeb, 0xfe]);   // l: jmp l
        VcpuSignalMask.Set(vcpu, [10, 12, 14]);

        VcpuExit exit = vcpu.Run(TimeSpan.FromMilliseconds(300));

        Assert.True(exit.Interrupted);
        VcpuSignalMask.Clear(vcpu);
        Assert.True(vcpu.Run(TimeSpan.FromMilliseconds(100)).Interrupted);
    }

    [KvmX86Fact]
    public void MasksThatBlockTheKickOrNameNoSignalAreRefused()
    {
        KvmVcpu vcpu = RealModeGuest([0xf4]);

        Assert.Equal("KickSignalBlocked", Assert.Throws<KvmPSException>(() => VcpuSignalMask.Set(vcpu, [10, LinuxConstants.SIGWINCH])).ErrorId);
        Assert.Equal("InvalidSignalNumber", Assert.Throws<KvmPSException>(() => VcpuSignalMask.Set(vcpu, [0])).ErrorId);
        Assert.Equal("InvalidSignalNumber", Assert.Throws<KvmPSException>(() => VcpuSignalMask.Set(vcpu, [65])).ErrorId);
    }

    [Fact]
    public void TheSignalMaskIsLenEightThenOneBitPerSignal()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        var seen = new List<(uint Len, ulong Set)?>();
        kvm.VcpuCreated += vcpu => vcpu.On(KvmVcpuIoctls.SetSignalMask, argument =>
        {
            int sigset = KvmPS.Interop.Abi.KvmStructs.SignalMask.LayoutOn(CpuArchitecture.X86_64).OffsetOf("sigset");
            seen.Add(argument == 0 ? null : ((uint)Marshal.ReadInt32(argument), (ulong)Marshal.ReadInt64(argument, sigset)));
            return 0;
        });
        using var session = new KvmSession(kernel.Kernel);
        KvmVcpu vcpu = session.CreateVm().CreateVcpu();

        VcpuSignalMask.Set(vcpu, [1, 10, 64]);
        VcpuSignalMask.Clear(vcpu);

        Assert.Equal([(8u, 1ul | (1ul << 9) | (1ul << 63)), null], seen);
    }

    [KvmX86CapabilityFact(KvmCapability.Mce)]
    public void MceSetupShowsInTheGuestsMcgCap()
    {
        KvmVcpu vcpu = RealModeGuest([0xf4]);
        ulong supported = X86Mce.GetSupportedCapabilities(vcpu.Vm.System);
        Assert.Equal(0ul, supported & 0xff);

        X86Mce.Setup(vcpu, 10, supported);

        Assert.Equal(supported | 10, X86Msrs.Get(vcpu, [McgCapMsr], strict: true).Single().Value);
    }

    [KvmX86CapabilityFact(KvmCapability.Mce)]
    public void ACorrectedMachineCheckIsRecordedInItsBank()
    {
        KvmVcpu vcpu = RealModeGuest([0xf4]);
        X86Mce.Setup(vcpu, 4, 0);
        const ulong status = X86Mce.StatusValid | 0x42;

        X86Mce.Inject(vcpu, 2, status, address: 0x1234, misc: 0x56);

        // IA32_MCi_STATUS/ADDR/MISC of bank 2 (Intel SDM vol. 3B 15.3.2): 0x401 + 4 * 2 and the two after it.
        var bank = X86Msrs.Get(vcpu, [0x409, 0x40a, 0x40b], strict: true).Select(m => m.Value).ToArray();
        Assert.Equal([status, 0x1234ul, 0x56ul], bank);
    }

    [KvmX86CapabilityFact(KvmCapability.Mce)]
    public void MceArgumentsAreCheckedAndAMissingBankIsTheKernelsEinval()
    {
        KvmVcpu vcpu = RealModeGuest([0xf4]);

        Assert.Equal("InvalidMceBankCount", Assert.Throws<KvmPSException>(() => X86Mce.Setup(vcpu, 0, 0)).ErrorId);
        Assert.Equal("InvalidMceCapabilities", Assert.Throws<KvmPSException>(() => X86Mce.Setup(vcpu, 4, 0x3)).ErrorId);
        Assert.Equal("KVM_X86_SETUP_MCE.EINVAL", Assert.Throws<KvmIoctlException>(() => X86Mce.Setup(vcpu, 4, 1ul << 40)).ErrorId);
        X86Mce.Setup(vcpu, 4, 0);
        Assert.Equal("MceStatusNotValid", Assert.Throws<KvmPSException>(() => X86Mce.Inject(vcpu, 0, 0x42)).ErrorId);
        Assert.Equal("KVM_X86_SET_MCE.EINVAL", Assert.Throws<KvmIoctlException>(() => X86Mce.Inject(vcpu, 4, X86Mce.StatusValid)).ErrorId);
    }

    [Fact]
    public void HostsWithoutTheCapabilitiesAreToldSoBeforeAnyIoctl()
    {
        (KernelDouble kernel, KvmDouble _) = KvmDouble.Create(CpuArchitecture.X86_64);
        using var session = new KvmSession(kernel.Kernel);
        KvmVcpu vcpu = session.CreateVm().CreateVcpu();

        Assert.Equal("KVM_CAP_KVMCLOCK_CTRL.NotSupported", Assert.Throws<KvmPSException>(() => VcpuClockPause.Notify(vcpu)).ErrorId);
        Assert.Equal("KVM_CAP_MCE.NotSupported", Assert.Throws<KvmPSException>(() => X86Mce.GetSupportedCapabilities(vcpu.Vm.System)).ErrorId);
        Assert.Equal("KVM_CAP_MCE.NotSupported", Assert.Throws<KvmPSException>(() => X86Mce.Setup(vcpu, 4, 0)).ErrorId);
        var error = Assert.Throws<KvmPSException>(() => X86Mce.Inject(vcpu, 0, X86Mce.StatusValid));
        Assert.Equal(ErrorKind.NotImplemented, error.Kind);
        Assert.Contains("does not support", error.Message, StringComparison.Ordinal);
        Assert.Contains("Get-KvmCapability -Name KVM_CAP_MCE", KvmPS.Commands.CmdletAdvice.For(error.ErrorId), StringComparison.Ordinal);
    }

    [KvmX86Fact]
    public void TheLegacyCpuidIsReadBackAsIndexZeroEntries()
    {
        KvmVcpu vcpu = RealModeGuest([0xf4]);
        CpuidEntry[] wanted = X86Cpuid.GetSupported(vcpu.Vm.System).Where(e => e.Function is 0 or 1 && e.Index == 0).OrderBy(e => e.Function).ToArray();

        X86Cpuid.SetLegacy(vcpu, wanted);

        // KVM adjusts leaf 1's feature bits at run time and may add leaves it derives (0xD here); leaf 0 and
        // leaf 1's signature come back as set, each with index 0.
        IReadOnlyList<CpuidEntry> read = X86Cpuid.Get(vcpu);
        CpuidEntry leaf0 = read.Single(e => e.Function == 0);
        CpuidEntry leaf1 = read.Single(e => e.Function == 1);
        Assert.Equal(wanted[0] with { Flags = leaf0.Flags }, leaf0);
        Assert.Equal((0u, wanted[1].Eax), (leaf1.Index, leaf1.Eax));
    }

    [KvmX86Fact]
    public void AnIndexedEntryCannotTakeTheLegacyPath()
    {
        KvmVcpu vcpu = RealModeGuest([0xf4]);

        var error = Assert.Throws<KvmPSException>(() => X86Cpuid.SetLegacy(vcpu, [new CpuidEntry(7, 1, CpuidEntryFlags.None, 0, 0, 0, 0)]));

        Assert.Equal("LegacyCpuidIndex", error.ErrorId);
    }
}
