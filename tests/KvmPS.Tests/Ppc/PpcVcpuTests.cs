using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;
using KvmPS.Kvm.Ppc;
using KvmPS.Tests.Doubles;
using KvmPS.Interop.Structs;

namespace KvmPS.Tests.Ppc;

/// <summary>powerpc vCPU ioctls, run at both host page sizes POWER uses (see the two classes at the end).</summary>
public abstract class PpcVcpuTests : IDisposable
{
    private readonly PpcDouble _ppc;
    private readonly KvmVm _vm;
    private readonly KvmVcpu _vcpu;

    protected PpcVcpuTests(int hostPageSize)
    {
        _ppc = new PpcDouble(pageSize: hostPageSize);
        _vm = _ppc.Session.CreateVm();
        _vcpu = _vm.CreateVcpu();
    }

    private PpcVcpuDouble VcpuDouble => _ppc.Vcpus.Single();

    public void Dispose() => _ppc.Dispose();

    [Fact]
    public void Papr_and_osi_are_enabled_on_the_vcpu_descriptor_from_the_vcpu_thread()
    {
        PpcVcpuCapabilities.EnablePapr(_vcpu);
        PpcVcpuCapabilities.EnableOsi(_vcpu);

        Assert.Equal([KvmCapability.PpcPapr, KvmCapability.PpcOsi], VcpuDouble.EnabledCaps);
        Assert.All(VcpuDouble.EnableCapThreads, thread => Assert.Equal(_vcpu.ThreadId, thread));
        Assert.Empty(_ppc.Kvm.Vms.Single().EnabledCaps);
    }

    [Theory]
    [InlineData(KvmCapability.PpcPapr, "KVM_CAP_PPC_PAPR")]
    [InlineData(KvmCapability.PpcOsi, "KVM_CAP_PPC_OSI")]
    public void Papr_and_osi_need_their_capability(KvmCapability capability, string kernelName)
    {
        _ppc.Kvm.Capabilities.Remove(capability);

        var e = Assert.Throws<KvmPSException>(() =>
        {
            if (capability == KvmCapability.PpcPapr) PpcVcpuCapabilities.EnablePapr(_vcpu);
            else PpcVcpuCapabilities.EnableOsi(_vcpu);
        });

        Assert.Equal($"{kernelName}.NotSupported", e.ErrorId);
        Assert.Empty(VcpuDouble.EnabledCaps);
    }

    [Fact]
    public unsafe void Papr_hcall_exit_is_decoded_and_its_return_value_written_back()
    {
        _ppc.Vcpus.Single().Vcpu.RunHandler = v =>
        {
            var call = new KvmRunPaprHcall { Nr = 0x20 };
            for (int i = 0; i < 9; i++)
            {
                call.Args[i] = 0x100UL + (ulong)i;
            }
            v.Exit(KvmExitReason.PaprHcall, call);
            return 0;
        };

        var exit = Assert.IsType<PaprHcallExit>(_vcpu.Run());
        _vcpu.SetHypercallReturn(0xFFFF_FFFF_FFFF_FFFE);

        Assert.Equal(0x20UL, exit.Number);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => 0x100UL + (ulong)i), exit.Arguments);
        Assert.Equal(0xFFFF_FFFF_FFFF_FFFEUL, VcpuDouble.Vcpu.RunExit<KvmRunPaprHcall>().Ret);
    }

    [Fact]
    public unsafe void Osi_exit_carries_the_32_gprs()
    {
        VcpuDouble.Vcpu.RunHandler = v =>
        {
            var osi = new KvmRunOsi();
            for (int i = 0; i < 32; i++)
            {
                osi.Gprs[i] = (ulong)i * 3;
            }
            v.Exit(KvmExitReason.Osi, osi);
            return 0;
        };

        var exit = Assert.IsType<OsiExit>(_vcpu.Run());

        Assert.Equal(Enumerable.Range(0, 32).Select(i => (ulong)i * 3), exit.Gprs);
        Assert.Equal("NoPendingHypercall", Assert.Throws<KvmPSException>(() => _vcpu.SetHypercallReturn(0)).ErrorId);
    }

    [Fact]
    public void Software_tlb_hands_the_kernel_its_geometry_and_array()
    {
        PpcSoftwareTlb tlb = PpcSoftwareTlb.Enable(_vcpu, PpcMmuType.FslBookeHv, [512, 64], [4, 64]);

        Assert.Equal([512u, 64u, 0u, 0u], VcpuDouble.TlbSizes);
        Assert.Equal([4u, 64u, 0u, 0u], VcpuDouble.TlbWays);
        Assert.Equal(1u, VcpuDouble.TlbMmuType);
        Assert.Equal(576u * 24, VcpuDouble.TlbArrayLength);
        Assert.NotEqual(0, VcpuDouble.TlbArray);
        Assert.Equal(576, tlb.EntryCount);
        Assert.Equal(_vcpu.ThreadId, VcpuDouble.EnableCapThreads.Single());
    }

    [Theory]
    [InlineData(new uint[] { 512 }, new uint[] { 4 })]
    [InlineData(new uint[] { 512, 64, 1 }, new uint[] { 4, 64 })]
    [InlineData(new uint[] { 512, 64 }, new uint[] { 3, 64 })]
    [InlineData(new uint[] { 512, 64 }, new uint[] { 32, 64 })]
    [InlineData(new uint[] { 384, 64 }, new uint[] { 4, 64 })]
    [InlineData(new uint[] { 512, 65 }, new uint[] { 4, 65 })]
    [InlineData(new uint[] { 512, 16 }, new uint[] { 4, 8 })]
    public void Software_tlb_geometry_is_checked_before_the_ioctl(uint[] sizes, uint[] ways)
    {
        var e = Assert.Throws<KvmPSException>(() => PpcSoftwareTlb.Enable(_vcpu, PpcMmuType.FslBookeNoHv, sizes, ways));

        Assert.Equal("InvalidTlbGeometry", e.ErrorId);
        Assert.Empty(VcpuDouble.EnabledCaps);
    }

    [Fact]
    public unsafe void Entries_set_are_in_the_shared_array_and_synced_as_a_little_endian_bitmap()
    {
        PpcSoftwareTlb tlb = PpcSoftwareTlb.Enable(_vcpu, PpcMmuType.FslBookeNoHv, [128, 16], [2, 16]);
        var entry = new PpcTlbEntry { Mas1 = 0x8000_0000, Mas2 = 0x1000, Mas7_3 = 0x2015 };

        tlb.SetEntry(3, entry);
        tlb.SetEntry(130, entry);

        Assert.Equal(entry, ((PpcTlbEntry*)VcpuDouble.TlbArray)[130]);
        Assert.Equal(2, tlb.Sync());
        Assert.Equal([3, 130], VcpuDouble.DirtySyncs.Single());
        Assert.Equal(0, tlb.DirtyCount);
        Assert.Equal(1, tlb.Sync([0]));
        Assert.Equal([0], VcpuDouble.DirtySyncs[1]);
        Assert.Equal("TlbIndexOutOfRange", Assert.Throws<KvmPSException>(() => tlb.Sync([144])).ErrorId);
    }

    [Fact]
    public void Software_tlb_needs_KVM_CAP_SW_TLB()
    {
        _ppc.Kvm.Capabilities.Remove(KvmCapability.SwTlb);

        var e = Assert.Throws<KvmPSException>(() => PpcSoftwareTlb.Enable(_vcpu, PpcMmuType.FslBookeNoHv, [512, 64], [4, 64]));

        Assert.Equal("KVM_CAP_SW_TLB.NotSupported", e.ErrorId);
    }

    [Fact]
    public void Software_tlb_array_is_released_with_the_vm()
    {
        int mappings = _ppc.Kernel.LiveMappings;
        PpcSoftwareTlb tlb = PpcSoftwareTlb.Enable(_vcpu, PpcMmuType.FslBookeNoHv, [512, 64], [4, 64]);
        Assert.Equal(mappings + 1, _ppc.Kernel.LiveMappings);

        _ppc.Session.RemoveVm(_vm);

        Assert.True(tlb.IsRemoved);
        Assert.Equal(0, _ppc.Kernel.LiveMappings);
    }
}

public sealed class PpcVcpuTestsOn4KHost() : PpcVcpuTests(0x1000);

public sealed class PpcVcpuTestsOn64KHost() : PpcVcpuTests(0x1_0000);
