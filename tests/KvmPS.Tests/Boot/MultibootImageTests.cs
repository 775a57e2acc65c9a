using KvmPS.Boot;
using KvmPS.Interop;

namespace KvmPS.Tests.Boot;

public sealed class MultibootImageTests
{
    [TestKernelTheory]
    [InlineData("hello")]
    [InlineData("env")]
    [InlineData("fwcfg")]
    [InlineData("smp")]
    [InlineData("longmode")]
    [InlineData("fail")]
    [InlineData("skip")]
    [InlineData("spin")]
    [InlineData("triplefault")]
    [InlineData("longmode64")]
    public void EveryTestKernelParsesAsAMultibootElfAt4MiB(string name)
    {
        MultibootImage image = MultibootImage.Parse(TestKernels.Read(name));

        Assert.Equal(name.EndsWith("64", StringComparison.Ordinal) ? ElfClass.Elf64 : ElfClass.Elf32, image.Class);
        Assert.Equal(0x40_0000ul, image.LowestAddress);
        Assert.InRange(image.Entry, 0x40_0000u, (uint)image.EndAddress - 1);
        Assert.InRange(image.HeaderOffset, 0, MultibootImage.HeaderSearchLength - 12);
        Assert.Equal(0, image.HeaderOffset % 4);
    }

    [Fact]
    public void ReadsSegmentsAndEntryOfA64BitImage()
    {
        byte[] code = [0x90, 0xF4];
        var file = new ElfImageBuilder
        {
            Class = ElfClass.Elf64,
            Entry = 0x20_0000,
            Segments = [(0x20_0000, code, 0x3000), (0x30_0000, new byte[8], 8)],
        }.Build();

        MultibootImage image = MultibootImage.Parse(file);

        Assert.Equal(ElfClass.Elf64, image.Class);
        Assert.Equal(0x20_0000u, image.Entry);
        Assert.Equal(2, image.Segments.Count);
        Assert.Equal(code, image.Segments[0].Data);
        Assert.Equal(0x3000ul, image.Segments[0].MemorySize);
        Assert.Equal(0x30_0008ul, image.EndAddress);
    }

    public static TheoryData<string, byte[], string> Malformed() => new()
    {
        { "empty", [], "too short" },
        { "not ELF", new byte[100], "not an ELF file" },
        { "truncated header", new ElfImageBuilder().Build()[..40], "truncated" },
        { "32-bit class with x86_64 machine", new ElfImageBuilder { Machine = 62 }.Build(), "class mismatch" },
        { "64-bit class with i386 machine", new ElfImageBuilder { Class = ElfClass.Elf64, Machine = 3 }.Build(), "class mismatch" },
        { "no multiboot header", new ElfImageBuilder { WithMultibootHeader = false }.Build(), "no multiboot header" },
        { "bad checksum", new ElfImageBuilder { Checksum = 0x1234 }.Build(), "bad checksum" },
        { "header past 8 KiB", new ElfImageBuilder { HeaderOffset = 0x2000, Segments = [(0x10_0000, new byte[0x2000], 0x2000)] }.Build(), "no multiboot header" },
        { "video mode wanted", new ElfImageBuilder { HeaderFlags = 7 }.Build(), "video" },
        { "overlapping segments", new ElfImageBuilder { Segments = [(0x10_0000, new byte[16], 0x2000), (0x10_1000, new byte[16], 0x10)] }.Build(), "overlap" },
        { "segment beyond the file", new ElfImageBuilder { Segments = [(0x10_0000, new byte[0x1800], 0x2000)] }.Build()[..0x1400], "beyond the end" },
        { "entry outside the segments", new ElfImageBuilder { Entry = 0x50_0000 }.Build(), "entry point" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedImagesFailWithAClearError(string what, byte[] file, string expected)
    {
        var error = Assert.Throws<KvmPSException>(() => MultibootImage.Parse(file));

        Assert.Equal("InvalidKernelImage", error.ErrorId);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.RecommendedAction), what);
    }

    [TestKernelFact]
    public void EveryTruncationOfARealKernelFailsCleanly()
    {
        byte[] file = TestKernels.Read("hello");
        for (int length = 0; length < file.Length; length++)
        {
            try
            {
                MultibootImage.Parse(file.AsSpan(0, length));
            }
            catch (KvmPSException e)
            {
                Assert.Equal("InvalidKernelImage", e.ErrorId);
            }
        }
    }
}
