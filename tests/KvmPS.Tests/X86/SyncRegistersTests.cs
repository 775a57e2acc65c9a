using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;
using KvmPS.Kvm.Registers;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.X86;

/// <summary>KVM_CAP_SYNC_REGS (api.rst section 5, kvm_valid_regs and kvm_run.s.regs) on the real /dev/kvm and through the double.</summary>
public sealed class SyncRegistersTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86CapabilityFact(KvmCapability.SyncRegs)]
    public void TheRegistersOfAnExitComeFromKvmRunAndMatchTheIoctls()
    {
        KvmVcpu vcpu = RealModeGuest.Create(_session, [0x40, 0x40, 0xe6, 0xe0, 0xf4]);   // inc ax / inc ax / out 0xe0,al / hlt
        vcpu.SyncRegisters = true;

        Assert.IsType<IoExit>(vcpu.Run(TimeSpan.FromSeconds(5)));

        Assert.True(vcpu.RegistersFromRun);
        var fromRun = vcpu.QueryRegisters([RegisterBank.General, RegisterBank.Special], null);
        Assert.Equal(2ul, fromRun.Single(r => r.Name == "rax").Value);
        Assert.Equal(0x1004ul, fromRun.Single(r => r.Name == "rip").Value);

        vcpu.SyncRegisters = false;
        Assert.False(vcpu.RegistersFromRun);
        var fromIoctls = vcpu.QueryRegisters([RegisterBank.General, RegisterBank.Special], null);
        Assert.Equal(fromIoctls.Select(r => (r.Name, r.Value)), fromRun.Select(r => (r.Name, r.Value)));
    }

    [KvmX86CapabilityFact(KvmCapability.SyncRegs)]
    public void AnyOtherCallOnTheVcpuRetiresTheCopy()
    {
        KvmVcpu vcpu = RealModeGuest.Create(_session, [0xe6, 0xe0, 0xf4]);
        vcpu.SyncRegisters = true;
        vcpu.Run(TimeSpan.FromSeconds(5));

        vcpu.SetRegisters(new Dictionary<string, ulong> { ["rbx"] = 0x1234 });

        Assert.False(vcpu.RegistersFromRun);
        Assert.Equal(0x1234ul, vcpu.GetRegisters(RegisterBank.General).Single(r => r.Name == "rbx").Value);
    }

    [Fact]
    public void KvmRunAsksForRegsAndSregsAndNoGetRegsFollows()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        kvm.Capabilities[KvmCapability.SyncRegs] = 7;
        CStructLayout run = KvmRunLayout.KvmRun.LayoutOn(CpuArchitecture.X86_64);
        int ripOffset = run.OffsetOf("s.regs.regs") + RegisterStructs.Regs.LayoutOn(CpuArchitecture.X86_64).OffsetOf("rip");
        ulong validRegs = 0;
        int getRegs = 0;
        kvm.VcpuCreated += vcpu =>
        {
            vcpu.On(KvmVcpuIoctls.GetRegs, _ => { getRegs++; return 0; });
            vcpu.RunHandler = v =>
            {
                validRegs = BitConverter.ToUInt64(v.RunBytes((ulong)run.OffsetOf("kvm_valid_regs"), 8));
                BitConverter.TryWriteBytes(v.RunBytes((ulong)ripOffset, 8), 0xfeedul);
                return 0;
            };
        };
        using var session = new KvmSession(kernel.Kernel);
        KvmVcpu vcpu = session.CreateVm().CreateVcpu();
        vcpu.SyncRegisters = true;

        vcpu.Run();

        Assert.Equal(0x3ul, validRegs);   // KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS
        Assert.Equal(0xfeedul, vcpu.GetRegisters(RegisterBank.General).Single(r => r.Name == "rip").Value);
        Assert.Equal(0, getRegs);
    }

    [Fact]
    public void AHostWithoutTheCapabilityIsToldSo()
    {
        (KernelDouble kernel, KvmDouble _) = KvmDouble.Create(CpuArchitecture.X86_64);
        using var session = new KvmSession(kernel.Kernel);
        KvmVcpu vcpu = session.CreateVm().CreateVcpu();

        var error = Assert.Throws<KvmPSException>(() => vcpu.SyncRegisters = true);

        Assert.Equal("KVM_CAP_SYNC_REGS.NotSupported", error.ErrorId);
        Assert.False(vcpu.SyncRegisters);
    }
}
