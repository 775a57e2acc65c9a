using System.Runtime.CompilerServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm.Arm;
using KvmPS.Interop.Structs;

namespace KvmPS.Tests.Arm;

/// <summary>Request numbers and layouts, as aarch64-linux-gnu-gcc and gcc computed them from the installed headers.</summary>
public class ArmAbiTests
{
    [Theory]
    [InlineData("KVM_ARM_SET_DEVICE_ADDR", CpuArchitecture.Aarch64, 1074835115u)]
    [InlineData("KVM_ARM_PREFERRED_TARGET", CpuArchitecture.Aarch64, 2149625519u)]
    [InlineData("KVM_ARM_VCPU_INIT", CpuArchitecture.Aarch64, 1075883694u)]
    [InlineData("KVM_GET_REG_LIST", CpuArchitecture.Aarch64, 3221794480u)]
    [InlineData("KVM_GET_REG_LIST", CpuArchitecture.X86_64, 3221794480u)]
    [InlineData("KVM_GET_REG_LIST", CpuArchitecture.S390x, 3221794480u)]
    [InlineData("KVM_GET_REG_LIST", CpuArchitecture.PowerPC64LE, 3221794480u)]
    public void Request_numbers_match_the_headers(string name, CpuArchitecture arch, uint expected) =>
        Assert.Equal(expected, AbiCatalog.FindIoctl(name)!.RequestOn(arch));

    [Fact]
    public void Set_device_addr_is_the_same_request_as_get_one_reg_on_a_different_descriptor() =>
        Assert.Equal(0x4010AEABu, ArmIoctls.SetDeviceAddr.RequestOn(CpuArchitecture.Aarch64));

    [Theory]
    [InlineData(CpuArchitecture.X86_64)]
    [InlineData(CpuArchitecture.S390x)]
    [InlineData(CpuArchitecture.PowerPC64LE)]
    public void Vcpu_init_and_preferred_target_exist_only_on_aarch64(CpuArchitecture arch)
    {
        Assert.False(ArmIoctls.VcpuInit.IsDefinedOn(arch));
        Assert.False(ArmIoctls.PreferredTarget.IsDefinedOn(arch));
        var error = Assert.Throws<IoctlUnavailableException>(() => ArmIoctls.VcpuInit.RequestOn(arch));
        Assert.Equal("KVM_ARM_VCPU_INIT.NotDefinedOnArchitecture", error.ErrorId);
    }

    [Fact]
    public void Struct_layouts_match_the_headers()
    {
        CStructLayout init = ArmStructs.VcpuInit.LayoutOn(CpuArchitecture.Aarch64);
        Assert.Equal(32, init.Size);
        Assert.Equal(4, init.OffsetOf("features"));
        Assert.Equal(8, init.OffsetOf("features[1]"));
        foreach (CpuArchitecture arch in CpuArchitectures.All)
        {
            Assert.Equal(16, ArmStructs.DeviceAddr.SizeOn(arch));
            Assert.Equal(8, ArmStructs.DeviceAddr.LayoutOn(arch).OffsetOf("addr"));
            Assert.Equal(8, ArmStructs.RegList.SizeOn(arch));
            Assert.Equal(8, ArmStructs.RegList.LayoutOn(arch).OffsetOf("reg"));
        }
    }

    [Fact]
    public void The_abi_dump_lists_the_arm_declarations()
    {
        string[] dump = AbiCatalog.Dump(CpuArchitecture.Aarch64).ToArray();
        Assert.Contains("ioctl KVM_ARM_VCPU_INIT 1075883694", dump);
        Assert.Contains("sizeof kvm_vcpu_init 32", dump);
        Assert.Contains("offsetof kvm_reg_list reg 8", dump);
        Assert.DoesNotContain(AbiCatalog.Dump(CpuArchitecture.X86_64), line => line.StartsWith("ioctl KVM_ARM_VCPU_INIT", StringComparison.Ordinal));
    }
}
