using KvmPS.Interop;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Tests.Interop;

public sealed class IoctlEncodingTests
{
    [Theory]
    // asm-generic: dir<<30 | size<<16 | type<<8 | nr, NONE=0 WRITE=1 READ=2
    [InlineData(CpuArchitecture.X86_64, (int)IoctlDirection.None, 0xAE, 0x80, 0, 0x0000AE80u)]
    [InlineData(CpuArchitecture.X86_64, (int)IoctlDirection.Write, 0xAE, 0x46, 32, 0x4020AE46u)]
    [InlineData(CpuArchitecture.Aarch64, (int)IoctlDirection.Read, 0xAE, 0x81, 144, 0x8090AE81u)]
    [InlineData(CpuArchitecture.S390x, (int)IoctlDirection.ReadWrite, 0xAE, 0xE0, 12, 0xC00CAEE0u)]
    // powerpc: dir<<29 | size<<16, NONE=1 READ=2 WRITE=4
    [InlineData(CpuArchitecture.PowerPC64LE, (int)IoctlDirection.None, 0xAE, 0x80, 0, 0x2000AE80u)]
    [InlineData(CpuArchitecture.PowerPC64LE, (int)IoctlDirection.Write, 0xAE, 0x46, 32, 0x8020AE46u)]
    [InlineData(CpuArchitecture.PowerPC64LE, (int)IoctlDirection.Read, 0xAE, 0x81, 8, 0x4008AE81u)]
    [InlineData(CpuArchitecture.PowerPC64LE, (int)IoctlDirection.ReadWrite, 0xAE, 0xE0, 12, 0xC00CAEE0u)]
    public void EncodesLikeTheKernelsIocMacro(CpuArchitecture arch, int direction, byte type, byte number, int size, uint expected) =>
        Assert.Equal(expected, IoctlEncoding.Encode(arch, (IoctlDirection)direction, type, number, size));

    [Fact]
    public void PowerpcHasThirteenSizeBits()
    {
        Assert.Equal(8191, IoctlEncoding.MaxSize(CpuArchitecture.PowerPC64LE));
        Assert.Equal(16383, IoctlEncoding.MaxSize(CpuArchitecture.X86_64));
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlEncoding.Encode(CpuArchitecture.PowerPC64LE, IoctlDirection.Read, 0xAE, 1, 8192));
        IoctlEncoding.Encode(CpuArchitecture.X86_64, IoctlDirection.Read, 0xAE, 1, 8192);
    }

    [Fact]
    public void PowerpcDiffersFromTheGenericEncodingExceptForReadWrite()
    {
        // READ|WRITE is 3<<30 generically and 6<<29 on powerpc: the same top bits, so only _IOWR coincides.
        foreach (IoctlDefinition ioctl in KvmPS.Interop.Abi.AbiCatalog.Ioctls.Where(i => i.IsDefinedOn(CpuArchitecture.PowerPC64LE) && i.IsDefinedOn(CpuArchitecture.X86_64)))
        {
            bool same = ioctl.RequestOn(CpuArchitecture.X86_64) == ioctl.RequestOn(CpuArchitecture.PowerPC64LE);
            Assert.Equal(ioctl.Direction == IoctlDirection.ReadWrite && ioctl.EncodedSizeOn(CpuArchitecture.X86_64) == ioctl.EncodedSizeOn(CpuArchitecture.PowerPC64LE), same);
        }
    }

    [Fact]
    public void AnIoctlAbsentFromAnArchitectureIsRefusedNotGuessed()
    {
        IoctlDefinition powerpcOnly = IoctlsOn<KvmPS.Interop.Handles.IKvmVmDescriptor>.IO(0xAE, "KVM_EXAMPLE_PPC_ONLY", 0x99, ArchitectureSet.PowerPC64LE);
        Assert.True(powerpcOnly.IsDefinedOn(CpuArchitecture.PowerPC64LE));
        var error = Assert.Throws<IoctlUnavailableException>(() => powerpcOnly.RequestOn(CpuArchitecture.X86_64));
        Assert.Equal("KVM_EXAMPLE_PPC_ONLY.NotDefinedOnArchitecture", error.ErrorId);
        Assert.Contains("does not exist on x86_64", error.Message);
        Assert.Equal(ErrorKind.NotImplemented, error.Kind);
    }
}
