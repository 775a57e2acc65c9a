using KvmPS.Commands;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;

namespace KvmPS.Tests.Kvm;

/// <summary>Coalesced MMIO and port I/O zones and the ring a real-mode guest fills, on the real /dev/kvm.</summary>
public sealed class CoalescedMmioTests : IDisposable
{
    /// <summary>
    /// mov bx, 0x1000 ; mov ds, bx ; mov byte [0], 0x42 ; mov word [2], 0x1234 ; mov byte [0x100], 0x77 ;
    /// mov al, 0x55 ; out 0x80, al ; hlt (real mode; writes to 0x10000, 0x10002, 0x10100 and port 0x80).
    /// </summary>
    private static readonly byte[] s_writer =
    [
        0xBB, 0x00, 0x10, 0x8E, 0xDB, 0xC6, 0x06, 0x00, 0x00, 0x42, 0xC7, 0x06, 0x02, 0x00, 0x34, 0x12,
        0xC6, 0x06, 0x00, 0x01, 0x77, 0xB0, 0x55, 0xE6, 0x80, 0xF4,
    ];

    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86CapabilityFact(KvmCapability.CoalescedMmio)]
    public void WritesInsideAZoneAreRecordedInTheRingAndOthersStillExit()
    {
        KvmVcpu vcpu = WriterVcpu();
        CoalescedMmioZone zone = VmCoalescedMmio.Register(vcpu.Vm, 0x10000, 0x100);
        Assert.Equal((0x10000ul, 0x100u, false), (zone.GuestAddress, zone.Size, zone.Pio));
        bool pio = vcpu.Vm.CheckExtension(KvmCapability.CoalescedPio) > 0;
        if (pio)
        {
            VmCoalescedMmio.Register(vcpu.Vm, 0x80, 1, pio: true);
        }

        var outside = Assert.IsType<MmioExit>(vcpu.Run(TimeSpan.FromSeconds(10)));
        Assert.Equal((0x10100ul, true), (outside.Address, outside.IsWrite));
        IReadOnlyList<CoalescedMmioEntry> entries = VmCoalescedMmio.Read(vcpu.Vm);

        Assert.Equal([(0x10000ul, 1u), (0x10002ul, 2u)], entries.Select(e => (e.PhysicalAddress, e.Length)));
        Assert.Equal([0x42], entries[0].Data);
        Assert.Equal([0x34, 0x12], entries[1].Data);
        Assert.All(entries, e => Assert.False(e.Pio));
        Assert.Empty(VmCoalescedMmio.Read(vcpu.Vm));

        VcpuExit last = vcpu.Run(TimeSpan.FromSeconds(10));
        if (pio)
        {
            Assert.Equal(KvmExitReason.Hlt, last.Reason);
            CoalescedMmioEntry port = Assert.Single(VmCoalescedMmio.Read(vcpu.Vm));
            Assert.Equal((0x80ul, 1u, true), (port.PhysicalAddress, port.Length, port.Pio));
            Assert.Equal([0x55], port.Data);
        }
        else
        {
            Assert.Equal(0x80, Assert.IsType<IoExit>(last).Port);
        }
    }

    [KvmX86CapabilityFact(KvmCapability.CoalescedMmio)]
    public void AfterUnregisteringTheWritesExitAgain()
    {
        KvmVcpu vcpu = WriterVcpu();
        VmCoalescedMmio.Register(vcpu.Vm, 0x10000, 0x1000);
        VmCoalescedMmio.Unregister(vcpu.Vm, 0x10000, 0x1000);

        var first = Assert.IsType<MmioExit>(vcpu.Run(TimeSpan.FromSeconds(10)));

        Assert.Equal(0x10000ul, first.Address);
        Assert.Empty(VmCoalescedMmio.Read(vcpu.Vm));
    }

    [KvmX86CapabilityFact(KvmCapability.CoalescedMmio)]
    public void TheRingNeedsAVcpuAndAZoneMustBeARange()
    {
        KvmVm vm = _session.CreateVm();
        var error = Assert.Throws<KvmPSException>(() => VmCoalescedMmio.Read(vm));
        Assert.Equal("CoalescedMmioNeedsVcpu", error.ErrorId);
        Assert.Contains("New-KvmVcpu", CmdletAdvice.For(error.ErrorId), StringComparison.Ordinal);
        Assert.Equal("InvalidCoalescedZone", Assert.Throws<KvmPSException>(() => VmCoalescedMmio.Register(vm, 0x1000, 0)).ErrorId);
        Assert.Equal("InvalidCoalescedZone", Assert.Throws<KvmPSException>(() => VmCoalescedMmio.Register(vm, ulong.MaxValue - 1, 0x10)).ErrorId);
    }

    private KvmVcpu WriterVcpu()
    {
        KvmVm vm = _session.CreateVm();
        vm.AddMemoryRegion(0, 0x10000).Write(0x1000, s_writer);
        KvmVcpu vcpu = vm.CreateVcpu(0);
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(0x1000));
        return vcpu;
    }
}
