using KvmPS.Commands;
using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Tests.Kvm;

/// <summary>The per-vCPU dirty ring (KVM_CAP_DIRTY_LOG_RING) filled by a real-mode guest on the real /dev/kvm.</summary>
public sealed class DirtyRingTests : IDisposable
{
    /// <summary>mov byte [0x3000], 1 ; mov byte [0x5000], 2 ; hlt ; then at 0x1010: mov byte [0x7000], 3 ; hlt (real mode, ds = 0).</summary>
    private static readonly byte[] s_writer =
    [
        0xC6, 0x06, 0x00, 0x30, 0x01, 0xC6, 0x06, 0x00, 0x50, 0x02, 0xF4, 0x90, 0x90, 0x90, 0x90, 0x90,
        0xC6, 0x06, 0x00, 0x70, 0x03, 0xF4,
    ];

    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86CapabilityFact(KvmCapability.DirtyLogRing)]
    public void TheRingHoldsThePagesTheGuestWroteOnceEach()
    {
        KvmVm vm = _session.CreateVm();
        VmDirtyRing.Enable(vm, 0x10000);
        Assert.Equal(0x10000ul, vm.DirtyRingBytes);
        GuestMemoryRegion ram = vm.AddMemoryRegion(0, 0x10000, flags: MemoryRegionFlags.LogDirtyPages);
        ram.Write(0x1000, s_writer);
        KvmVcpu vcpu = vm.CreateVcpu(0);
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(0x1000));

        Assert.Equal(KvmExitReason.Hlt, vcpu.Run(TimeSpan.FromSeconds(10)).Reason);
        IReadOnlyList<DirtyPage> first = VmDirtyRing.Harvest(vm);

        Assert.Contains(new DirtyPage(vm.Id, ram.Slot, 0x3000) { VcpuId = 0 }, first);
        Assert.Contains(new DirtyPage(vm.Id, ram.Slot, 0x5000) { VcpuId = 0 }, first);
        Assert.DoesNotContain(first, p => p.GuestAddress == 0x7000);
        Assert.Empty(VmDirtyRing.Harvest(vm));

        vcpu.SetRegisters(new Dictionary<string, ulong> { ["rip"] = 0x1010 });
        Assert.Equal(KvmExitReason.Hlt, vcpu.Run(TimeSpan.FromSeconds(10)).Reason);
        Assert.Contains(VmDirtyRing.Harvest(vm), p => p.GuestAddress == 0x7000);

        var error = Assert.Throws<KvmPSException>(() => ram.GetDirtyPages());
        Assert.Equal("DirtyLogIsRing", error.ErrorId);
        Assert.Contains("Get-KvmDirtyLog -Vm", CmdletAdvice.For(error.ErrorId), StringComparison.Ordinal);
    }

    [KvmX86CapabilityFact(KvmCapability.DirtyLogRing)]
    public void TheRingIsAPowerOfTwoEnabledBeforeVcpus()
    {
        KvmVm vm = _session.CreateVm();
        Assert.Equal("InvalidDirtyRingSize", Assert.Throws<KvmPSException>(() => VmDirtyRing.Enable(vm, 0x3000)).ErrorId);
        Assert.Equal("InvalidDirtyRingSize", Assert.Throws<KvmPSException>(() => VmDirtyRing.Enable(vm, 16)).ErrorId);
        Assert.Equal("DirtyRingNotEnabled", Assert.Throws<KvmPSException>(() => VmDirtyRing.Harvest(vm)).ErrorId);
        vm.CreateVcpu();
        Assert.Equal("DirtyRingAfterVcpus", Assert.Throws<KvmPSException>(() => VmDirtyRing.Enable(vm, 0x10000)).ErrorId);
    }
}
