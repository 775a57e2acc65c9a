using System.Runtime.CompilerServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm.S390;
using KvmPS.Interop.Structs;

namespace KvmPS.Tests.S390;

/// <summary>Numbers and layouts as s390x-linux-gnu-gcc, gcc and powerpc64le-linux-gnu-gcc computed them from the installed headers.</summary>
public class S390AbiTests
{
    [Theory]
    [InlineData(CpuArchitecture.S390x, 1075359312u, 1075359313u, 1074310738u)]
    [InlineData(CpuArchitecture.X86_64, 1075359312u, 1075359313u, 1074310738u)]
    [InlineData(CpuArchitecture.Aarch64, 1075359312u, 1075359313u, 1074310738u)]
    [InlineData(CpuArchitecture.PowerPC64LE, 2149101136u, 2149101137u, 2148052562u)]
    public void Request_numbers_match_the_generic_header(CpuArchitecture arch, uint map, uint unmap, uint fault)
    {
        Assert.Equal(map, S390Ioctls.UcasMap.RequestOn(arch));
        Assert.Equal(unmap, S390Ioctls.UcasUnmap.RequestOn(arch));
        Assert.Equal(fault, S390Ioctls.VcpuFault.RequestOn(arch));
    }

    [Fact]
    public void The_mapping_struct_matches_the_header()
    {
        foreach (CpuArchitecture arch in CpuArchitectures.All)
        {
            CStructLayout layout = S390Structs.UcasMapping.LayoutOn(arch);
            Assert.Equal(24, layout.Size);
            Assert.Equal(0, layout.OffsetOf("user_addr"));
            Assert.Equal(8, layout.OffsetOf("vcpu_addr"));
            Assert.Equal(16, layout.OffsetOf("length"));
        }
    }
}
