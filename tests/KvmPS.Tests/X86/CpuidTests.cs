using System.Buffers.Binary;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;
using KvmPS.Kvm.X86;

namespace KvmPS.Tests.X86;

public sealed class CpuidTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86Fact]
    public void SupportedCpuidHasTheVendorAndFeatureLeaves()
    {
        IReadOnlyList<CpuidEntry> supported = X86Cpuid.GetSupported(_session.System);

        Assert.Contains(supported, e => e.Function == 0 && e.Eax >= 1);
        Assert.Contains(supported, e => e.Function == 1);
        Assert.Contains(supported, e => e.Function == 0x8000_0001 && (e.Edx & 1u << 29) != 0);   // long mode
    }

    [KvmX86Fact]
    public void SetThenGetReturnsTheTable()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        IReadOnlyList<CpuidEntry> table = X86Cpuid.ForVcpu(X86Cpuid.GetSupported(_session.System), 0, 1);

        X86Cpuid.Set(vcpu, table);
        IReadOnlyList<CpuidEntry> back = X86Cpuid.Get(vcpu);

        // KVM keeps some bits live (leaf 1 OSXSAVE/APIC, leaf 0xD sizes), so compare the keys and a stable leaf.
        Assert.Equal(table.Select(e => (e.Function, e.Index)), back.Select(e => (e.Function, e.Index)));
        Assert.Equal(table.Single(e => e.Function == 0), back.Single(e => e.Function == 0));
    }

    [KvmX86Fact]
    public void GuestReadsTheLeafTheHostSet()
    {
        // mov eax, 0x80000002 ; cpuid ; mov dx, 0x3f8 ; out dx, eax ; hlt   (16-bit code, 0x66 = 32-bit operand)
        byte[] code = [0x66, 0xB8, 0x02, 0x00, 0x00, 0x80, 0x0F, 0xA2, 0xBA, 0xF8, 0x03, 0x66, 0xEF, 0xF4];
        KvmVm vm = _session.CreateVm();
        vm.AddMemoryRegion(0x1000, 0x1000).Write(0x1000, code);
        KvmVcpu vcpu = vm.CreateVcpu();
        var table = X86Cpuid.GetSupported(_session.System)
            .Select(e => e.Function == 0x8000_0002 ? e with { Eax = 0x4B56_4D50 } : e).ToArray();
        Assert.Contains(table, e => e.Function == 0x8000_0002);
        X86Cpuid.Set(vcpu, table);
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(0x1000));

        var output = Assert.IsType<IoExit>(vcpu.Run());

        Assert.Equal(4, output.Size);
        Assert.Equal(0x4B56_4D50u, BinaryPrimitives.ReadUInt32LittleEndian(output.Data));
    }

    [Fact]
    public void ForVcpuGivesEachVcpuItsApicIdAndTheCount()
    {
        CpuidEntry[] supported =
        [
            new(0, 0, CpuidEntryFlags.None, 0x1F, 0, 0, 0),
            new(1, 0, CpuidEntryFlags.None, 0x806EA, 0xFF00_0800, 0x0000_0001, 0),
            new(4, 0, CpuidEntryFlags.SignificantIndex, 0x1C00_4121, 0, 0, 0),
            new(0xB, 0, CpuidEntryFlags.SignificantIndex, 1, 2, 0x100, 7),
            new(0xB, 1, CpuidEntryFlags.SignificantIndex, 4, 8, 0x201, 7),
        ];

        IReadOnlyList<CpuidEntry> table = X86Cpuid.ForVcpu(supported, 2, 4);

        CpuidEntry leaf1 = table.Single(e => e.Function == 1);
        Assert.Equal(2u, leaf1.Ebx >> 24);
        Assert.Equal(4u, (leaf1.Ebx >> 16) & 0xFF);
        Assert.Equal(0x0800u, leaf1.Ebx & 0xFFFF);
        Assert.NotEqual(0u, leaf1.Ecx & 1u << 31);
        Assert.NotEqual(0u, leaf1.Edx & 1u << 28);
        Assert.Equal(3u, table.Single(e => e.Function == 4).Eax >> 26);
        CpuidEntry[] topology = table.Where(e => e.Function == 0xB).ToArray();
        Assert.Equal([0u, 1u, 2u], topology.Select(e => e.Index));
        Assert.All(topology, e => Assert.Equal(2u, e.Edx));
        Assert.Equal(4u, topology[1].Ebx & 0xFFFF);
        Assert.Equal(2u, topology[1].Eax & 0x1F);
        Assert.Equal(0u, (topology[2].Ecx >> 8) & 0xFF);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 2)]
    [InlineData(-1, 2)]
    public void ForVcpuRefusesImpossibleIdsAndCounts(int apicId, int count)
    {
        var error = Assert.Throws<KvmPSException>(() => X86Cpuid.ForVcpu([], apicId, count));
        Assert.StartsWith("Invalid", error.ErrorId, StringComparison.Ordinal);
    }
}
