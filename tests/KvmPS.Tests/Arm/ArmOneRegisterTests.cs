using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Arm;
using KvmPS.Kvm.Registers;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Arm;

/// <summary>
/// arm64 refuses KVM_GET/SET_REGS, so kvm_regs is read and written one core register at a time through ONE_REG
/// (api.txt 4.68: KVM_REG_ARM64 | size | KVM_REG_ARM_CORE | offset in 32-bit words).
/// </summary>
public sealed class ArmOneRegisterTests
{
    private const ulong PcId = 0x6030_0000_0010_0040;    // kvm_regs.regs.pc: offset 256 bytes, 64 words; U64
    private const ulong FpsrId = 0x6020_0000_0010_00D4;  // kvm_regs.fp_regs.fpsr: offset 848 bytes, 212 words; U32

    [Fact]
    public void CoreRegisterIdsAreTheMembersWordOffsets()
    {
        Assert.Equal(PcId, OneRegisterId.Arm64Core(256, 8));
        Assert.Equal(FpsrId, OneRegisterId.Arm64Core(848, 4));
    }

    [Fact]
    public void SetRegisterWritesOneCoreRegisterAndGetRegisterReadsThemAll()
    {
        using var t = new ArmTestVm();
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        ArmVcpus.Initialize(vcpu, []);

        vcpu.SetRegisters([new("regs.pc", 0x4008_0000), new("fp_regs.fpsr", 0x10)]);

        ArmVcpuDouble kernel = t.Arm.Vcpus.Single();
        Assert.Equal(BitConverter.GetBytes(0x4008_0000UL), kernel.OneRegs[PcId]);
        Assert.Equal(BitConverter.GetBytes(0x10u), kernel.OneRegs[FpsrId]);
        IReadOnlyList<KvmRegister> registers = vcpu.GetRegisters(RegisterBank.General);
        Assert.Equal(0x4008_0000UL, registers.Single(r => r.Name == "regs.pc").Value);
        Assert.Equal(0x10UL, registers.Single(r => r.Name == "fp_regs.fpsr").Value);
        Assert.Equal(0UL, registers.Single(r => r.Name == "regs.sp").Value);
    }

    [Fact]
    public void OneRegisterRoundTripsAndRefusesIdsOfAnotherArchitecture()
    {
        using var t = new ArmTestVm();
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        ArmVcpus.Initialize(vcpu, []);

        OneRegisters.Set(vcpu, PcId, OneRegisters.BytesOf(PcId, 0x1234));
        Assert.Equal(0x1234UL, OneRegisters.Get(vcpu, PcId).Value);

        var wrong = Assert.Throws<KvmPSException>(() => OneRegisters.Get(vcpu, OneRegisterId.X86Msr(0x174)));
        Assert.Equal("OneRegisterWrongArchitecture", wrong.ErrorId);
        Assert.Equal("OneRegisterValueTooLarge", Assert.Throws<KvmPSException>(() => OneRegisters.BytesOf(FpsrId, 1UL << 32)).ErrorId);
        Assert.Equal("OneRegisterValueSize", Assert.Throws<KvmPSException>(() => OneRegisters.Set(vcpu, PcId, new byte[4])).ErrorId);
    }

    [Fact]
    public void BeforeVcpuInitTheKernelsEnoexecIsExplained()
    {
        using var t = new ArmTestVm();
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        var error = Assert.Throws<KvmIoctlException>(() => OneRegisters.Get(vcpu, PcId));
        Assert.Equal("KVM_GET_ONE_REG.ENOEXEC", error.ErrorId);
        Assert.Contains("KVM_ARM_VCPU_INIT", error.Message, StringComparison.Ordinal);
    }
}
