using System.Text;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;
using KvmPS.Kvm.Registers;

namespace KvmPS.Tests.Kvm;

/// <summary>Real guests on the real /dev/kvm: every test here issues KVM_RUN.</summary>
public sealed class RealGuestTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86Fact]
    public void EmbeddedGuestPrintsOneIoExitPerByteThenHalts()
    {
        KvmVm vm = _session.CreateVm();

        GuestRun run = EmbeddedGuest.Boot(vm);

        Assert.Equal(EmbeddedGuest.Message, run.Output);
        IoExit[] io = run.Exits.OfType<IoExit>().ToArray();
        Assert.Equal(EmbeddedGuest.Message.Length, io.Length);
        Assert.All(io, e =>
        {
            Assert.Equal(KvmExitReason.Io, e.Reason);
            Assert.Equal(EmbeddedGuest.SerialPort, e.Port);
            Assert.Equal(IoDirection.Out, e.Direction);
            Assert.Equal(1, e.Size);
            Assert.Equal(1u, e.Count);
        });
        Assert.Equal(Encoding.ASCII.GetBytes(EmbeddedGuest.Message), io.SelectMany(e => e.Data).ToArray());
        Assert.Equal(KvmExitReason.Hlt, run.FinalExit!.Reason);
        Assert.Equal("KVM_EXIT_HLT", run.FinalExit.KernelName);
        Assert.Equal(EmbeddedGuest.Message.Length + 1, vm.Vcpus[0].RunCount);
    }

    [KvmX86Fact]
    public void MmioWriteAndReadExitCarryAddressLengthAndData()
    {
        // mov byte [0x2000], 0x42 ; mov al, [0x3000] ; mov dx, 0x3f8 ; out dx, al ; hlt  -- 0x2000/0x3000 have no slot
        byte[] code = [0xC6, 0x06, 0x00, 0x20, 0x42, 0xA0, 0x00, 0x30, 0xBA, 0xF8, 0x03, 0xEE, 0xF4];
        KvmVm vm = _session.CreateVm();
        vm.AddMemoryRegion(0x1000, 0x1000).Write(0x1000, code);
        KvmVcpu vcpu = vm.CreateVcpu();
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(0x1000));

        var write = Assert.IsType<MmioExit>(vcpu.Run());
        Assert.True(write.IsWrite);
        Assert.Equal(0x2000ul, write.Address);
        Assert.Equal(1u, write.Length);
        Assert.Equal(new byte[] { 0x42 }, write.Data);

        var read = Assert.IsType<MmioExit>(vcpu.Run());
        Assert.False(read.IsWrite);
        Assert.Equal(0x3000ul, read.Address);
        Assert.Equal(1u, read.Length);

        var echoed = Assert.IsType<IoExit>(vcpu.RunOnce(readData: [0x5A]));
        Assert.Equal(new byte[] { 0x5A }, echoed.Data);
        Assert.Equal(KvmExitReason.Hlt, vcpu.Run().Reason);
    }

    [KvmX86Fact]
    public void PortReadIsCompletedWithSuppliedData()
    {
        // mov dx, 0x60 ; in al, dx ; mov dx, 0x3f8 ; out dx, al ; hlt
        byte[] code = [0xBA, 0x60, 0x00, 0xEC, 0xBA, 0xF8, 0x03, 0xEE, 0xF4];
        KvmVm vm = _session.CreateVm();
        vm.AddMemoryRegion(0x1000, 0x1000).Write(0x1000, code);
        KvmVcpu vcpu = vm.CreateVcpu();
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(0x1000));

        var input = Assert.IsType<IoExit>(vcpu.Run());
        Assert.Equal(IoDirection.In, input.Direction);
        Assert.Equal(0x60, input.Port);
        var error = Assert.Throws<KvmPSException>(() => vcpu.CompleteRead([1, 2]));
        Assert.Equal("ReadDataLengthMismatch", error.ErrorId);

        var output = Assert.IsType<IoExit>(vcpu.RunOnce(readData: [0x99]));
        Assert.Equal(new byte[] { 0x99 }, output.Data);
    }

    [KvmX86Fact]
    public void RegistersRoundTripByNameThroughTheKernel()
    {
        KvmVm vm = _session.CreateVm();
        KvmVcpu vcpu = vm.CreateVcpu();

        vcpu.SetRegisters([new("rax", 0x1122334455667788), new("cs.selector", 0x1234), new("cr0", 0x60000010)]);

        var all = vcpu.QueryRegisters(null, null).ToDictionary(r => r.Name);
        Assert.Equal(0x1122334455667788ul, all["rax"].Value);
        Assert.Equal(RegisterBank.General, all["rax"].Bank);
        Assert.Equal(0x1234ul, all["cs.selector"].Value);
        Assert.Equal(RegisterBank.Special, all["cs.selector"].Bank);
        Assert.Equal(2, all["cs.selector"].Size);
        Assert.Equal(0x60000010ul, all["cr0"].Value & 0x60000010);
        Assert.DoesNotContain(all.Keys, k => k.Contains("padding"));
        Assert.Equal(["rip"], vcpu.QueryRegisters([RegisterBank.General], ["RI?"]).Select(r => r.Name));
    }

    [KvmFact]
    public void UnknownRegisterAndOversizedValueFailBeforeAnyIoctl()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        Assert.Equal("UnknownRegister", Assert.Throws<KvmPSException>(() => vcpu.SetRegisters([new("nosuch", 1)])).ErrorId);
        if (RealKvm.IsX86)
        {
            Assert.Equal("RegisterValueTooLarge", Assert.Throws<KvmPSException>(() => vcpu.SetRegisters([new("cs.selector", 0x10000)])).ErrorId);
        }
    }
}

/// <summary>Guests that never exit on their own are kicked out of KVM_RUN.</summary>
public sealed class VcpuKickTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    private KvmVcpu SpinningGuest()
    {
        KvmVm vm = _session.CreateVm();
        vm.AddMemoryRegion(0x1000, 0x1000).Write(0x1000, [0xEB, 0xFE]);   // jmp $
        KvmVcpu vcpu = vm.CreateVcpu();
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(0x1000));
        return vcpu;
    }

    [KvmX86Fact]
    public void TimeoutInterruptsAGuestThatNeverExits()
    {
        KvmVcpu vcpu = SpinningGuest();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        VcpuExit exit = vcpu.Run(TimeSpan.FromMilliseconds(200));

        Assert.True(exit.Interrupted);
        Assert.Equal(KvmExitReason.Intr, exit.Reason);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
        Assert.Equal(0x1000ul, vcpu.QueryRegisters([RegisterBank.General], ["rip"]).Single().Value);
        Assert.True(vcpu.Run(TimeSpan.FromMilliseconds(100)).Interrupted);   // no stale immediate_exit: it runs again
    }

    [KvmX86Fact]
    public void KickFromAnotherThreadEndsTheRun()
    {
        KvmVcpu vcpu = SpinningGuest();
        Task<VcpuExit> running = Task.Run(() => vcpu.Run());
        Assert.False(running.Wait(300));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!running.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            vcpu.Kick();
            running.Wait(50);
        }

        Assert.True(running.IsCompleted, "the kick did not end KVM_RUN");
        Assert.True(running.Result.Interrupted);
    }

    [KvmX86Fact]
    public void KickWhileIdleDoesNotAffectTheNextRun()
    {
        KvmVm vm = _session.CreateVm();
        KvmVcpu vcpu = vm.CreateVcpu();
        vcpu.Kick();
        vm.AddMemoryRegion(0x1000, 0x1000).Write(0x1000, [0xF4]);   // hlt
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(0x1000));
        Assert.Equal(KvmExitReason.Hlt, vcpu.Run(TimeSpan.FromSeconds(5)).Reason);
    }
}
