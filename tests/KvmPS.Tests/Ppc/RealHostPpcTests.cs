using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Tests.Ppc;

/// <summary>Runs only where /dev/kvm can be opened and the host is not powerpc, so the capabilities are absent.</summary>
public sealed class NonPowerpcKvmFactAttribute : FactAttribute
{
    public NonPowerpcKvmFactAttribute()
    {
        if (CpuArchitectures.Host == CpuArchitecture.PowerPC64LE)
        {
            Skip = "This host is powerpc64le: the capabilities exist here (see tests/Pester/SpaprTce.Tests.ps1).";
        }
        else if (!File.Exists("/dev/kvm"))
        {
            Skip = "/dev/kvm is absent on this machine.";
        }
        else
        {
            try
            {
                using var _ = File.Open("/dev/kvm", FileMode.Open, FileAccess.ReadWrite);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                Skip = $"/dev/kvm cannot be opened ({e.Message}).";
            }
        }
    }
}

/// <summary>The real kernel of this (non-powerpc) host answers 0 for the powerpc capabilities.</summary>
public sealed class RealHostPpcTests
{
    [NonPowerpcKvmFact]
    public void Tce_table_is_not_supported_on_this_host()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();

        var e = Assert.Throws<KvmPSException>(() => SpaprTceTable.Create(vm, 0x80000000, 0x1000_0000));

        Assert.Equal("KVM_CAP_SPAPR_TCE.NotSupported", e.ErrorId);
        Assert.Equal(ErrorKind.NotImplemented, e.Kind);
        Assert.Contains("does not support", e.Message);
        Assert.Empty(vm.Dependents<SpaprTceTable>());
    }

    [NonPowerpcKvmFact]
    public void The_other_powerpc_operations_are_not_supported_on_this_host()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        KvmVcpu vcpu = vm.CreateVcpu();

        Assert.Equal("KVM_CAP_PPC_GET_PVINFO.NotSupported", Assert.Throws<KvmPSException>(() => PpcVm.GetPvInfo(vm)).ErrorId);
        Assert.Equal("KVM_CAP_PPC_GET_SMMU_INFO.NotSupported", Assert.Throws<KvmPSException>(() => PpcVm.GetSmmuInfo(vm)).ErrorId);
        Assert.Equal("KVM_CAP_PPC_ALLOC_HTAB.NotSupported", Assert.Throws<KvmPSException>(() => PpcVm.AllocateHashTable(vm, 24)).ErrorId);
        Assert.Equal("KVM_CAP_PPC_RMA.NotSupported", Assert.Throws<KvmPSException>(() => PpcRealModeArea.Allocate(vm)).ErrorId);
        Assert.Equal("KVM_CAP_PPC_PAPR.NotSupported", Assert.Throws<KvmPSException>(() => PpcVcpuCapabilities.EnablePapr(vcpu)).ErrorId);
        Assert.Equal("KVM_CAP_PPC_OSI.NotSupported", Assert.Throws<KvmPSException>(() => PpcVcpuCapabilities.EnableOsi(vcpu)).ErrorId);
        Assert.Equal("KVM_CAP_SW_TLB.NotSupported",
            Assert.Throws<KvmPSException>(() => PpcSoftwareTlb.Enable(vcpu, PpcMmuType.FslBookeNoHv, [512, 64], [4, 64])).ErrorId);
    }
}
