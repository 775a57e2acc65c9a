using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.X86;

/// <summary>The MSR list's E2BIG contract (api.txt 4.3), KVM_SET_MSRS's partial count and missing capabilities, through the kernel double.</summary>
public sealed class VcpuStateDoubleTests
{
    private const int KernelMsrs = 300;

    [Fact]
    public void TheIndexListGrowsToTheCountTheKernelWritesOnE2Big()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        var offered = new List<int>();
        kvm.On(KvmSystemIoctls.GetMsrIndexList, argument =>
        {
            int capacity = Marshal.ReadInt32(argument);
            offered.Add(capacity);
            Marshal.WriteInt32(argument, KernelMsrs);
            if (capacity < KernelMsrs)
            {
                return -Errno.E2BIG;
            }
            for (int i = 0; i < KernelMsrs; i++)
            {
                Marshal.WriteInt32(argument, 4 + i * 4, 0x100 + i);
            }
            return 0;
        });
        using KvmSystem system = KvmSystem.Open(kernel.Kernel);

        IReadOnlyList<uint> list = X86Msrs.GetIndexList(system);

        Assert.Equal([256, KernelMsrs], offered);
        Assert.Equal(KernelMsrs, list.Count);
        Assert.Equal(0x100u + 299, list[^1]);
    }

    [Fact]
    public void AMissingCapabilityIsTheNotSupportedError()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        using var session = new KvmSession(kernel.Kernel);
        kvm.VcpuCreated += vcpu => vcpu.RunHandler = _ => 0;
        KvmVcpu vcpu = session.CreateVm().CreateVcpu();

        var xsave = Assert.Throws<KvmPSException>(() => X86VcpuState.GetXsave(vcpu));
        Assert.Equal("KVM_CAP_XSAVE.NotSupported", xsave.ErrorId);
        Assert.Equal(ErrorKind.NotImplemented, xsave.Kind);
        Assert.Contains("KVM_CAP_XSAVE", xsave.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("Get-KvmCapability -Name KVM_CAP_XSAVE", KvmPS.Commands.CmdletAdvice.For(xsave.ErrorId), StringComparison.Ordinal);
        Assert.Equal("KVM_CAP_DEBUGREGS.NotSupported", Assert.Throws<KvmPSException>(() => X86VcpuState.GetDebugRegisters(vcpu)).ErrorId);
        Assert.Equal("KVM_CAP_GET_MSR_FEATURES.NotSupported",
            Assert.Throws<KvmPSException>(() => X86Msrs.GetIndexList(session.System, feature: true)).ErrorId);
    }

    [Fact]
    public void APartialSetNamesTheFirstRefusedMsr()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        using var session = new KvmSession(kernel.Kernel);
        kvm.VcpuCreated += vcpu => vcpu.On(KvmVcpuIoctls.SetMsrs, _ => 1);   // the kernel set only the first
        KvmVcpu vcpu = session.CreateVm().CreateVcpu();

        var error = Assert.Throws<KvmPSException>(() => X86Msrs.Set(vcpu, [(0x174, 1), (0xc0000082, 2), (0x10, 3)]));

        Assert.Equal("MsrRefused", error.ErrorId);
        Assert.Contains("LSTAR (0xC0000082)", error.Message, StringComparison.Ordinal);
        Assert.Contains("The 1 MSR(s) before it were set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "KVM_GET_XSAVE", 4096)]
    [InlineData(4096, "KVM_GET_XSAVE2", 4096)]
    [InlineData(8192, "KVM_GET_XSAVE2", 8192)]
    public void XsaveUsesXsave2WithTheSizeTheHostReports(int xsave2, string expected, int size)
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        kvm.Capabilities[KvmCapability.Xsave] = 1;
        kvm.Capabilities[KvmCapability.Xsave2] = xsave2;
        var called = new List<string>();
        kvm.VcpuCreated += vcpu =>
        {
            vcpu.On(KvmVcpuIoctls.GetXsave, _ => { called.Add("KVM_GET_XSAVE"); return 0; });
            vcpu.On(KvmVcpuIoctls.GetXsave2, argument => { called.Add("KVM_GET_XSAVE2"); Marshal.WriteByte(argument, size - 1, 0x5A); return 0; });
        };
        using var session = new KvmSession(kernel.Kernel);
        KvmVcpu vcpu = session.CreateVm().CreateVcpu();

        VcpuStateBlock block = X86VcpuState.GetXsave(vcpu);

        Assert.Equal([expected], called);
        Assert.Equal(size, block.Bytes.Length);
    }
}
