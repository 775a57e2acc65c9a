using System.Runtime.CompilerServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;
using KvmPS.Interop.Structs;

namespace KvmPS.Tests.Ppc;

/// <summary>
/// The numbers the 6.1 UAPI headers give (a C probe compiled for powerpc64le against
/// /usr/powerpc64le-linux-gnu/include, and with the host gcc for x86_64).
/// </summary>
public sealed class PpcAbiTests
{
    [Theory]
    [InlineData("KVM_PPC_GET_PVINFO", 2155916961u, 1082175137u)]
    [InlineData("KVM_PPC_GET_SMMU_INFO", 1112583846u, 2186325670u)]
    [InlineData("KVM_PPC_ALLOCATE_HTAB", 3221532327u, 3221532327u)]
    [InlineData("KVM_DIRTY_TLB", 2148576938u, 1074835114u)]
    public void Ioctls_defined_everywhere_match_the_headers(string name, uint powerpc, uint x86)
    {
        IoctlDefinition ioctl = ByName(name);
        Assert.Equal(powerpc, ioctl.RequestOn(CpuArchitecture.PowerPC64LE));
        Assert.Equal(x86, ioctl.RequestOn(CpuArchitecture.X86_64));
    }

    [Theory]
    [InlineData("KVM_CREATE_SPAPR_TCE", 2148576936u)]
    [InlineData("KVM_CREATE_SPAPR_TCE_64", 2149625512u)]
    [InlineData("KVM_ALLOCATE_RMA", 1074310825u)]
    public void Powerpc_only_ioctls_match_the_headers_and_are_absent_elsewhere(string name, uint powerpc)
    {
        IoctlDefinition ioctl = ByName(name);
        Assert.Equal(powerpc, ioctl.RequestOn(CpuArchitecture.PowerPC64LE));
        foreach (CpuArchitecture arch in new[] { CpuArchitecture.X86_64, CpuArchitecture.Aarch64, CpuArchitecture.S390x })
        {
            Assert.False(ioctl.IsDefinedOn(arch));
            var e = Assert.Throws<IoctlUnavailableException>(() => ioctl.RequestOn(arch));
            Assert.Equal($"{name}.NotDefinedOnArchitecture", e.ErrorId);
        }
    }

    [Fact]
    public void Struct_sizes_and_offsets_match_the_powerpc_headers()
    {
        const CpuArchitecture ppc = CpuArchitecture.PowerPC64LE;
        Assert.Equal(16, PpcStructs.CreateSpaprTce.SizeOn(ppc));
        Assert.Equal(32, PpcStructs.CreateSpaprTce64.SizeOn(ppc));
        Assert.Equal(16, PpcStructs.CreateSpaprTce64.LayoutOn(ppc).OffsetOf("offset"));
        Assert.Equal(24, PpcStructs.CreateSpaprTce64.LayoutOn(ppc).OffsetOf("size"));
        Assert.Equal(8, PpcStructs.AllocateRma.SizeOn(ppc));
        Assert.Equal(128, PpcStructs.PvInfo.SizeOn(ppc));
        Assert.Equal(4, PpcStructs.PvInfo.LayoutOn(ppc).OffsetOf("hcall"));
        Assert.Equal(592, PpcStructs.SmmuInfo.SizeOn(ppc));
        Assert.Equal(16, PpcStructs.SmmuInfo.LayoutOn(ppc).OffsetOf("sps"));
        Assert.Equal(108, PpcStructs.SmmuInfo.LayoutOn(ppc).OffsetOf("sps[1].enc[1].pte_enc"));
        Assert.Equal(72, PpcStructs.OneSegPageSize.SizeOn(ppc));
        Assert.Equal(8, PpcStructs.OnePageSize.SizeOn(ppc));
        Assert.Equal(24, PpcStructs.ConfigTlb.SizeOn(ppc));
        Assert.Equal(16, PpcStructs.DirtyTlb.SizeOn(ppc));
        Assert.Equal(64, PpcStructs.Book3e206TlbParams.SizeOn(ppc));
        Assert.Equal(24, PpcStructs.Book3e206TlbEntry.SizeOn(ppc));
    }

    [Fact]
    public void Powerpc_asm_structs_exist_only_on_powerpc()
    {
        foreach (KernelStruct type in new[] { PpcStructs.CreateSpaprTce, PpcStructs.CreateSpaprTce64, PpcStructs.AllocateRma, PpcStructs.Book3e206TlbParams, PpcStructs.Book3e206TlbEntry })
        {
            Assert.True(type.IsDefinedOn(CpuArchitecture.PowerPC64LE));
            Assert.False(type.IsDefinedOn(CpuArchitecture.X86_64));
            Assert.False(type.IsDefinedOn(CpuArchitecture.Aarch64));
            Assert.False(type.IsDefinedOn(CpuArchitecture.S390x));
        }
    }

    private static IoctlDefinition ByName(string name) => new IoctlDefinition[]
    {
        PpcIoctls.GetPvinfo, PpcIoctls.GetSmmuInfo, PpcIoctls.AllocateHtab, PpcIoctls.CreateSpaprTce,
        PpcIoctls.CreateSpaprTce64, PpcIoctls.AllocateRma, PpcIoctls.DirtyTlb,
    }.Single(i => i.Name == name);
}
