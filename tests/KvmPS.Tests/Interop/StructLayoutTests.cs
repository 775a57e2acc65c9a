using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Structs;

namespace KvmPS.Tests.Interop;

public sealed class StructLayoutTests
{
    [Fact]
    public void NaturalAlignmentPadsMembersAndTheTail()
    {
        CStructLayout layout = CStructLayout.Struct("t").U8("a").U64("b").U16("c").Build();
        Assert.Equal(0, layout.OffsetOf("a"));
        Assert.Equal(8, layout.OffsetOf("b"));
        Assert.Equal(16, layout.OffsetOf("c"));
        Assert.Equal(24, layout.Size);
    }

    [Fact]
    public void AnonymousUnionMembersResolveThroughTheParent()
    {
        CStructLayout run = KvmRunLayout.KvmRun.LayoutOn(CpuArchitecture.X86_64);
        Assert.Equal(32, run.OffsetOf("io.direction"));
        Assert.Equal(40, run.OffsetOf("io.data_offset"));
        Assert.Equal(48, run.OffsetOf("mmio.len"));
        Assert.Equal(56, run.OffsetOf("internal.data[2]"));
        Assert.Equal(288, run.OffsetOf("kvm_valid_regs"));
        Assert.Equal(2352, run.Size);
    }

    [Fact]
    public void S390MovesTheExitUnionBehindThePsw()
    {
        CStructLayout run = KvmRunLayout.KvmRun.LayoutOn(CpuArchitecture.S390x);
        Assert.Equal(48, run.OffsetOf("io.direction"));
    }

    [Fact]
    public void ACSharpStructIsReadAsItsKernelStruct()
    {
        CStructLayout layout = ReflectedLayout.Of<KvmPS.Interop.Structs.KvmIoeventfdRequest>();
        Assert.Equal("kvm_ioeventfd", layout.Name);
        Assert.Equal(64, layout.Size);
        Assert.Equal(8, layout.OffsetOf("addr"));
        Assert.Equal(20, layout.OffsetOf("fd"));
        Assert.Equal(28, layout.OffsetOf("pad"));
        Assert.Equal(36, layout.Resolve("pad").Size);
        Assert.Equal(0, layout.OffsetOf("datamatch"));   // [CName]: the header does not split the word
    }

    [Fact]
    public void FieldNamesBecomeSnakeCase()
    {
        Assert.Equal("guest_phys_addr", ReflectedLayout.SnakeCase("GuestPhysAddr"));
        Assert.Equal("mas7_3", ReflectedLayout.SnakeCase("Mas7_3"));
        Assert.Equal("padding1", ReflectedLayout.SnakeCase("Padding1"));
    }

    [Theory]
    [InlineData(CpuArchitecture.X86_64, 32)]
    [InlineData(CpuArchitecture.Aarch64, 32)]
    [InlineData(CpuArchitecture.PowerPC64LE, 32)]
    [InlineData(CpuArchitecture.S390x, 48)]
    public void TheRunLoopFindsTheHeaderAndTheExitUnionWhereTheLayoutHasThem(CpuArchitecture arch, int union)
    {
        CStructLayout run = KvmRunLayout.KvmRun.LayoutOn(arch);
        var offsets = KvmPS.Kvm.KvmRunOffsets.For(arch);
        Assert.Equal(run.OffsetOf("exit_reason"), (int)Marshal.OffsetOf<KvmRunHeader>(nameof(KvmRunHeader.ExitReason)));
        Assert.Equal(run.OffsetOf("immediate_exit"), (int)Marshal.OffsetOf<KvmRunHeader>(nameof(KvmRunHeader.ImmediateExit)));
        Assert.Equal(union, offsets.Exit);
        Assert.Equal(union, run.OffsetOf("msr"));
        Assert.Equal(run.Size, offsets.Size);
    }

    [Theory]
    [InlineData(CpuArchitecture.X86_64)]
    [InlineData(CpuArchitecture.Aarch64)]
    [InlineData(CpuArchitecture.PowerPC64LE)]
    [InlineData(CpuArchitecture.S390x)]
    public void TheSyncRegisterWordsAndTheSyncRegistersAreWhereTheLayoutHasThem(CpuArchitecture arch)
    {
        CStructLayout run = KvmRunLayout.KvmRun.LayoutOn(arch);
        var offsets = KvmPS.Kvm.KvmRunOffsets.For(arch);
        Assert.Equal(run.OffsetOf("kvm_valid_regs"), offsets.SyncControl);
        Assert.Equal(run.OffsetOf("kvm_dirty_regs"), offsets.SyncControl + sizeof(ulong));
        Assert.Equal(run.OffsetOf("s"), offsets.SyncRegs);
        if (arch == CpuArchitecture.X86_64)
        {
            Assert.Equal(run.OffsetOf("s.regs.sregs"), offsets.SyncRegs + RegisterStructs.Regs.SizeOn(arch));
        }
    }

    [Fact]
    public void EveryMemberOfKvmRunIsChecked()
    {
        IReadOnlyList<string> x86 = KvmRunLayout.KvmRun.CheckedFieldsOn(CpuArchitecture.X86_64);
        Assert.Contains("io.data_offset", x86);
        Assert.Contains("debug.arch.dr7", x86);
        Assert.Contains("if_flag", x86);
        Assert.Contains("s", x86);
        Assert.DoesNotContain(x86, path => path.StartsWith("s.regs.", StringComparison.Ordinal));
        Assert.Contains("psw_addr", KvmRunLayout.KvmRun.CheckedFieldsOn(CpuArchitecture.S390x));
        Assert.Contains("debug.arch.far", KvmRunLayout.KvmRun.CheckedFieldsOn(CpuArchitecture.Aarch64));
    }

    [Fact]
    public void UnknownMemberIsAnError() =>
        Assert.Throws<ArgumentException>(() => KvmStructs.UserspaceMemoryRegion.LayoutOn(CpuArchitecture.X86_64).OffsetOf("nope"));

    [Fact]
    public void TheDumpIsSortedAndCoversTheCoreIoctls()
    {
        string[] dump = AbiCatalog.Dump(CpuArchitecture.X86_64).ToArray();
        Assert.Equal(dump.OrderBy(l => l, StringComparer.Ordinal), dump);
        Assert.Contains("ioctl KVM_RUN 44672", dump);
        Assert.Contains("ioctl KVM_SET_USER_MEMORY_REGION 1075883590", dump);
        Assert.Contains("sizeof kvm_userspace_memory_region 32", dump);
        Assert.Contains("ioctl KVM_RUN 536915584", AbiCatalog.Dump(CpuArchitecture.PowerPC64LE));   // 0x2000AE80
    }
}
