using System.Buffers.Binary;
using System.Text;
using KvmPS.Boot;

namespace KvmPS.Tests.Boot;

public sealed class MultibootInfoTests
{
    private const ulong Base = 0x50_0000;
    private const ulong Ram = 64 << 20;

    private static readonly MultibootInfo Info = MultibootInfo.Build(Base, Ram, "env expect=A=1",
        [MultibootInfo.EnvironmentModule([new("A", "1"), new("B", "two")]), ("second", [1, 2, 3])]);

    private static uint U32(ulong address) => BinaryPrimitives.ReadUInt32LittleEndian(Info.Bytes.AsSpan((int)(address - Base)));
    private static ulong U64(ulong address) => BinaryPrimitives.ReadUInt64LittleEndian(Info.Bytes.AsSpan((int)(address - Base)));

    private static string CString(ulong address)
    {
        ReadOnlySpan<byte> rest = Info.Bytes.AsSpan((int)(address - Base));
        return Encoding.UTF8.GetString(rest[..rest.IndexOf((byte)0)]);
    }

    [Fact]
    public void FlagsSayMemoryCmdlineModulesMemoryMapAndLoaderName()
    {
        // Multiboot spec 3.3: bits 0, 2, 3, 6, 9.
        Assert.Equal(0x24Du, U32(Base + 0));
    }

    [Fact]
    public void MemoryIsGivenInKiB()
    {
        Assert.Equal(640u, U32(Base + 4));
        Assert.Equal((uint)((Ram - 0x10_0000) / 1024), U32(Base + 8));
    }

    [Fact]
    public void CommandLineAndLoaderNameAreCStrings()
    {
        Assert.Equal("env expect=A=1", CString(U32(Base + 16)));
        Assert.Equal("KvmPS", CString(U32(Base + 64)));
    }

    [Fact]
    public void ModulesArePageAlignedWithTheirNames()
    {
        Assert.Equal(2u, U32(Base + 20));
        ulong mods = U32(Base + 24);
        uint start = U32(mods), end = U32(mods + 4);
        Assert.Equal(0u, start % 4096);
        Assert.Equal("A=1\nB=two\n", Encoding.UTF8.GetString(Info.Bytes, (int)(start - Base), (int)(end - start)));
        Assert.Equal("env", CString(U32(mods + 8)));
        Assert.Equal(0u, U32(mods + 12));
        uint second = U32(mods + 16);
        Assert.Equal(0u, second % 4096);
        Assert.Equal(second + 3, U32(mods + 20));
        Assert.Equal("second", CString(U32(mods + 24)));
        Assert.Equal([(start, (ulong)end), (second, second + 3ul)], Info.Modules);
        Assert.Equal(second + 3ul, Info.EndAddress);
    }

    [Fact]
    public void MemoryMapHasLowMemoryTheHoleAndHighMemory()
    {
        Assert.Equal(72u, U32(Base + 44));
        ulong map = U32(Base + 48);
        (ulong, ulong, uint)[] expected = [(0, 0x9_FC00, 1), (0x9_FC00, 0x6_0400, 2), (0x10_0000, Ram - 0x10_0000, 1)];
        for (int i = 0; i < 3; i++)
        {
            ulong entry = map + (ulong)i * 24;
            Assert.Equal(20u, U32(entry));
            Assert.Equal(expected[i], (U64(entry + 4), U64(entry + 12), U32(entry + 20)));
        }
    }
}
