using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;
using KvmPS.Kvm.X86;

namespace KvmPS.Tests.X86;

/// <summary>KVM_X86_SET_MSR_FILTER with user-space MSR exits on the real /dev/kvm: a guest's RDMSR of a denied MSR stops the vCPU, and user space answers it.</summary>
public sealed class MsrFilterTests : IDisposable
{
    private const uint SysenterCs = 0x174;

    /// <summary>mov ecx,0x174 / rdmsr / out 0xe0,al / hlt (real mode)</summary>
    private static readonly byte[] ReadsSysenterCs = [0x66, 0xb9, 0x74, 0x01, 0x00, 0x00, 0x0f, 0x32, 0xe6, 0xe0, 0xf4];

    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    private KvmVcpu Guest(byte[] code) => RealModeGuest.Create(_session, code);

    [KvmX86CapabilityFact(KvmCapability.X86MsrFilter)]
    public void ADeniedRdmsrExitsToUserSpaceWhichAnswersIt()
    {
        KvmVcpu vcpu = Guest(ReadsSysenterCs);
        X86MsrFilter.ExitToUserSpace(vcpu.Vm);
        X86MsrFilter.Set(vcpu.Vm, [new MsrFilterRange(SysenterCs, 1, MsrFilterAccess.Read)], defaultDeny: false);

        var rdmsr = Assert.IsType<MsrExit>(vcpu.Run());
        Assert.Equal(SysenterCs, rdmsr.Index);
        Assert.False(rdmsr.IsWrite);

        vcpu.SetMsrResult(0x5a);
        var report = Assert.IsType<IoExit>(vcpu.Run());
        Assert.Equal((ushort)0xe0, report.Port);
        Assert.Equal(0x5a, report.Data[0]);
    }

    [KvmX86CapabilityFact(KvmCapability.X86MsrFilter)]
    public void AnAllowedMsrAndAClearedFilterDoNotExit()
    {
        KvmVcpu vcpu = Guest(ReadsSysenterCs);
        X86Msrs.Set(vcpu, [(SysenterCs, 0x33)]);
        X86MsrFilter.ExitToUserSpace(vcpu.Vm);
        X86MsrFilter.Set(vcpu.Vm, [new MsrFilterRange(SysenterCs, 8, MsrFilterAccess.Read, [0x01])], defaultDeny: false);   // bit 0: 0x174 allowed

        var report = Assert.IsType<IoExit>(vcpu.Run());
        Assert.Equal(0x33, report.Data[0]);
        X86MsrFilter.Set(vcpu.Vm, [], defaultDeny: false);
    }

    [KvmX86CapabilityFact(KvmCapability.X86MsrFilter)]
    public void RangesAreCheckedBeforeTheIoctl()
    {
        KvmVm vm = _session.CreateVm();
        Assert.Equal("TooManyMsrFilterRanges", Assert.Throws<KvmPSException>(() =>
            X86MsrFilter.Set(vm, Enumerable.Range(0, 17).Select(i => new MsrFilterRange((uint)i, 1, MsrFilterAccess.Read)).ToArray(), false)).ErrorId);
        Assert.Equal("InvalidMsrFilterRange", Assert.Throws<KvmPSException>(() =>
            X86MsrFilter.Set(vm, [new MsrFilterRange(0, 0, MsrFilterAccess.Read)], false)).ErrorId);
        Assert.Equal("InvalidMsrFilterRange", Assert.Throws<KvmPSException>(() =>
            X86MsrFilter.Set(vm, [new MsrFilterRange(0xffffffff, 2, MsrFilterAccess.Read)], false)).ErrorId);
    }
}
