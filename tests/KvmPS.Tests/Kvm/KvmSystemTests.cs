using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Kvm;

public sealed class KvmSystemTests
{
    [Fact]
    public void ApiVersionOtherThanTwelveIsRefused()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        kvm.ApiVersion = 11;
        var error = Assert.Throws<KvmPSException>(() => KvmSystem.Open(kernel.Kernel));
        Assert.Equal("KvmApiVersionMismatch", error.ErrorId);
        Assert.Contains("version 11", error.Message);
        Assert.Equal(0, kernel.OpenDescriptors);
    }

    [Fact]
    public void MissingDeviceSaysToLoadTheModule()
    {
        var kernel = new KernelDouble(CpuArchitecture.X86_64);
        var error = Assert.Throws<KvmPSException>(() => KvmSystem.Open(kernel.Kernel));
        Assert.Equal("KvmDeviceNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.NotInstalled, error.Kind);
        Assert.Contains("modprobe", error.Message);
    }

    [Fact]
    public void InaccessibleDeviceSaysToJoinGroupKvm()
    {
        (KernelDouble kernel, _) = KvmDouble.Create(CpuArchitecture.X86_64);
        kernel.FailOpen(KvmDouble.DevicePath, Errno.EACCES);
        var error = Assert.Throws<KvmPSException>(() => KvmSystem.Open(kernel.Kernel));
        Assert.Equal("KvmDeviceAccessDenied", error.ErrorId);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("kvm", error.Message);
    }

    [KvmFact]
    public void RealHostDescribesItself()
    {
        using KvmSystem system = KvmSystem.Open(KernelInterface.Host);
        KvmHostInfo info = system.Describe();
        Assert.Equal(12, info.ApiVersion);
        Assert.Equal(CpuArchitectures.RequireHost().UnameName(), info.Architecture);
        Assert.True(info.VcpuMmapSize >= 4096);
        Assert.True(info.MaxVcpus >= info.RecommendedVcpus);
        Assert.True(info.MaxMemorySlots > 0);
    }

    [KvmFact]
    public void CapabilitiesAreQueriedByReadableOrKernelNameWithWildcards()
    {
        using var session = new KvmSession(KernelInterface.Host);
        var user = Assert.Single(KvmCapabilities.Query(session, null, ["UserMemory"], false));
        Assert.True(user.Supported);
        Assert.Equal("KVM_CAP_USER_MEMORY", user.KernelName);
        Assert.Equal(3, user.Number);
        Assert.True(KvmCapabilities.IsSupported(session, null, "KVM_CAP_USER_MEMORY"));
        Assert.False(KvmCapabilities.IsSupported(session, null, "SpaprTce"));
        Assert.All(KvmCapabilities.Query(session, null, ["Spapr*"], false), c => Assert.StartsWith("Spapr", c.Name.ToString()));
        Assert.Equal("UnknownCapability", Assert.Throws<KvmPSException>(() => KvmCapabilities.IsSupported(session, null, "NoSuchThing")).ErrorId);
        Assert.Equal(Enum.GetValues<KvmCapability>().Length, KvmCapabilities.Query(session, session.CreateVm(), null, false).Count);
    }

    [KvmFact]
    public void HostCheckPassesOnThisHostAndBootsTheGuest()
    {
        IReadOnlyList<HostCheckResult> results = HostCheck.Run(KernelInterface.Host);
        Assert.True(HostCheck.AllPassed(results), string.Join("\n", results));
        if (RealKvm.IsX86)
        {
            var boot = Assert.Single(results, r => r.Check == "GuestBoot");
            Assert.Equal(HostCheckStatus.Passed, boot.Status);
            Assert.Contains("KVM_EXIT_HLT", boot.Detail);
        }
    }

    [Fact]
    public void HostCheckReportsAMissingDeviceAndSkipsTheRest()
    {
        var kernel = new KernelDouble(CpuArchitecture.X86_64);
        IReadOnlyList<HostCheckResult> results = HostCheck.Run(kernel.Kernel);
        Assert.Equal(HostCheckStatus.Failed, results[0].Status);
        Assert.Contains("modprobe", results[0].Detail);
        Assert.All(results.Skip(1), r => Assert.Equal(HostCheckStatus.Skipped, r.Status));
        Assert.False(HostCheck.AllPassed(results));
    }

    [Fact]
    public void VmsOnADoubleReleaseEveryDescriptorAndMapping()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.PowerPC64LE);
        using (var session = new KvmSession(kernel.Kernel))
        {
            KvmVm vm = session.CreateVm();
            vm.AddMemoryRegion(0, 0x10000);
            vm.CreateVcpu();
            Assert.Equal(3, kernel.OpenDescriptors);   // /dev/kvm, VM, vCPU
            Assert.Equal(2, kernel.LiveMappings);      // guest memory, kvm_run
        }
        Assert.Equal(0, kernel.OpenDescriptors);
        Assert.Equal(0, kernel.LiveMappings);
    }
}

public sealed class NameQueryTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmFact]
    public void CapabilityByNumberIsReported() =>
        Assert.Equal(KvmCapability.UserMemory, Assert.Single(KvmCapabilities.Query(_session, null, ["3"], false)).Name);

    [KvmFact]
    public void UnknownLiteralRegisterNameIsAnErrorButAnUnmatchedWildcardIsNot()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        Assert.Equal("UnknownRegister", Assert.Throws<KvmPSException>(() => vcpu.QueryRegisters(null, ["nosuch"])).ErrorId);
        Assert.Empty(vcpu.QueryRegisters(null, ["nosuch*"]));
    }

    [KvmX86Fact]
    public void AValueThatDoesNotFitChangesNoRegister()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        ulong before = vcpu.QueryRegisters(null, ["rax"]).Single().Value;
        Assert.Equal("RegisterValueTooLarge", Assert.Throws<KvmPSException>(() =>
            vcpu.SetRegisters([new("rax", before + 1), new("cs.selector", 0x10000)])).ErrorId);
        Assert.Equal(before, vcpu.QueryRegisters(null, ["rax"]).Single().Value);
    }
}
