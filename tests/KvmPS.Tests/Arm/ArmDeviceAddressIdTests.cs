using KvmPS.Interop;
using KvmPS.Kvm.Arm;

namespace KvmPS.Tests.Arm;

public class ArmDeviceAddressIdTests
{
    [Theory]
    [InlineData(0, 0, 0x0000_0000ul)]
    [InlineData(0, 1, 0x0000_0001ul)]
    [InlineData(1, 0, 0x0001_0000ul)]
    [InlineData(0xffff, 0xffff, 0xffff_ffffUL)]
    [InlineData(0x1234, 0xabcd, 0x1234_abcdUL)]
    public void Device_id_goes_to_bits_31_to_16_and_type_to_15_to_0(ushort device, ushort type, ulong expected)
    {
        var id = new ArmDeviceAddressId(device, type);
        Assert.Equal(expected, id.Value);
        Assert.Equal(0ul, id.Value >> 32);
        Assert.Equal(id, ArmDeviceAddressId.FromRaw(expected));
    }

    [Fact]
    public void The_vgic_v2_frames_have_the_header_ids()
    {
        Assert.Equal(0ul, VgicRegion.Of(ArmDevice.VgicV2, ArmAddressType.Distributor).LegacyId!.Value.Value);
        Assert.Equal(1ul, VgicRegion.Of(ArmDevice.VgicV2, ArmAddressType.CpuInterface).LegacyId!.Value.Value);
        Assert.Null(VgicRegion.Of(ArmDevice.VgicV3, ArmAddressType.Distributor).LegacyId);
        Assert.Equal([0ul, 1ul, 2ul, 3ul], VgicRegion.All.Select(r => r.Attribute));
    }

    [Theory]
    [InlineData(0x1_0000_0000ul)]
    [InlineData(0x8000_0000_0000_0001ul)]
    public void Bits_63_to_32_are_reserved(ulong raw)
    {
        var error = Assert.Throws<KvmPSException>(() => ArmDeviceAddressId.FromRaw(raw));
        Assert.Equal("ArmDeviceIdReservedBits", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void A_frame_the_device_lacks_is_refused()
    {
        Assert.Equal("ArmAddressTypeNotOnDevice", Assert.Throws<KvmPSException>(() => VgicRegion.Of(ArmDevice.VgicV2, ArmAddressType.Redistributor)).ErrorId);
        Assert.Equal("ArmAddressTypeNotOnDevice", Assert.Throws<KvmPSException>(() => VgicRegion.Of(ArmDevice.VgicV3, ArmAddressType.CpuInterface)).ErrorId);
    }
}
