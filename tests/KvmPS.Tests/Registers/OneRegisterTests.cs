using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Registers;
using KvmPS.Kvm.X86;

namespace KvmPS.Tests.Registers;

/// <summary>KVM_GET/SET_ONE_REG on the real /dev/kvm: x86 kernels (6.18 and later) take MSRs as KVM_X86_REG_TYPE_MSR ids.</summary>
public sealed class OneRegisterTests : IDisposable
{
    private const uint SysenterCs = 0x174;
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86CapabilityFact(KvmCapability.OneReg)]
    public void AnMsrWrittenThroughOneRegIsWhatKvmGetMsrsReads()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        ulong id = OneRegisterId.X86Msr(SysenterCs);
        Assert.Equal(0x2030_0002_0000_0174UL, id);

        OneRegisters.Set(vcpu, id, OneRegisters.BytesOf(id, 0x10));

        Assert.Equal(0x10UL, X86Msrs.Get(vcpu, [SysenterCs])[0].Value);
        KvmOneRegister read = OneRegisters.Get(vcpu, id);
        Assert.Equal(8, read.Size);
        Assert.Equal(0x10UL, read.Value);
        X86Msrs.Set(vcpu, [(SysenterCs, 0x23)]);
        Assert.Equal(0x23UL, OneRegisters.Get(vcpu, id).Value);
    }

    [KvmX86CapabilityFact(KvmCapability.OneReg)]
    public void AnIdOfAnotherArchitectureIsRefusedBeforeTheIoctl()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        var error = Assert.Throws<KvmPSException>(() => OneRegisters.Get(vcpu, OneRegisterId.Arm64Core(256, 8)));
        Assert.Equal("OneRegisterWrongArchitecture", error.ErrorId);
        Assert.Equal("OneRegisterInvalidSize", Assert.Throws<KvmPSException>(() => OneRegisters.Get(vcpu, 0x2090_0000_0000_0000)).ErrorId);
    }
}
