using System.Buffers.Binary;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;
using KvmPS.Kvm.X86;

namespace KvmPS.Tests.X86;

/// <summary>MSRs, FPU/XSAVE/XCRs, events, debug registers, LAPIC and whole-vCPU save/restore on the real /dev/kvm.</summary>
public sealed class VcpuStateTests : IDisposable
{
    private const uint SysenterCs = 0x174;
    private const uint TscAux = 0xc0000103;

    /// <summary>mov cx, 0 ; l: inc cx ; mov ax, cx ; mov dx, 0x3f8 ; out dx, ax ; cmp cx, 10 ; jne l ; hlt (real mode).</summary>
    private static readonly byte[] s_counter = [0xB9, 0x00, 0x00, 0x41, 0x89, 0xC8, 0xBA, 0xF8, 0x03, 0xEF, 0x83, 0xF9, 0x0A, 0x75, 0xF4, 0xF4];

    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86Fact]
    public void TheIndexListsNameTheArchitecturalMsrs()
    {
        IReadOnlyList<uint> list = X86Msrs.GetIndexList(_session.System);
        Assert.Contains(SysenterCs, list);
        Assert.Contains(0x10u, list);   // IA32_TSC; EFER travels in kvm_sregs, not in this list
    }

    [KvmX86Fact]
    public void MsrsRoundTripAndEveryListedMsrThatReadsIsReturned()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();

        X86Msrs.Set(vcpu, [(SysenterCs, 0x1234), (TscAux, 0x42)]);

        IReadOnlyList<MsrValue> back = X86Msrs.Get(vcpu, [SysenterCs, TscAux], strict: true);
        Assert.Equal([0x1234UL, 0x42UL], back.Select(m => m.Value));
        Assert.Equal("IA32_SYSENTER_CS", back[0].Name);
        IReadOnlyList<MsrValue> all = X86Msrs.Get(vcpu);
        Assert.Contains(all, m => m.Index == SysenterCs && m.Value == 0x1234);
    }

    [KvmX86Fact]
    public void APartialSetNamesTheFirstMsrRefused()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();

        // EFER with reserved bit 63 set is refused; SYSENTER_CS before it is set.
        var error = Assert.Throws<KvmPSException>(() => X86Msrs.Set(vcpu, [(SysenterCs, 7), (0xc0000080, 1UL << 63)]));

        Assert.Equal("MsrRefused", error.ErrorId);
        Assert.Contains("IA32_EFER (0xC0000080)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Get-KvmMsrIndexList", KvmPS.Commands.CmdletAdvice.For(error.ErrorId));
        Assert.Equal(7UL, X86Msrs.Get(vcpu, [SysenterCs])[0].Value);
    }

    [Fact]
    public void AnUnknownMsrNameListsTheKnownOnes()
    {
        Assert.Equal(0xc0000103u, MsrNames.IndexOf("tsc_aux"));
        Assert.Equal(0x174u, MsrNames.IndexOf("SYSENTER_CS"));
        var error = Assert.Throws<KvmPSException>(() => MsrNames.IndexOf("NOPE"));
        Assert.Equal("UnknownMsrName", error.ErrorId);
        Assert.Contains("LSTAR", error.Message, StringComparison.Ordinal);
    }

    [KvmX86Fact]
    public void AGuestReadsTheMsrTheHostSet()
    {
        // mov ecx, 0x174 ; rdmsr ; mov dx, 0x3f8 ; out dx, eax ; hlt   (16-bit code, 0x66 = 32-bit operand)
        byte[] code = [0x66, 0xB9, 0x74, 0x01, 0x00, 0x00, 0x0F, 0x32, 0xBA, 0xF8, 0x03, 0x66, 0xEF, 0xF4];
        KvmVm vm = _session.CreateVm();
        vm.AddMemoryRegion(0x1000, 0x1000).Write(0x1000, code);
        KvmVcpu vcpu = vm.CreateVcpu();
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(0x1000));
        X86Msrs.Set(vcpu, [(SysenterCs, 0x4B56)]);

        var output = Assert.IsType<IoExit>(vcpu.Run());

        Assert.Equal(0x4B56u, BinaryPrimitives.ReadUInt32LittleEndian(output.Data));
    }

    [KvmX86Fact]
    public void TheFpuRoundTrips()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();

        VcpuStateBlock fpu = X86VcpuState.GetFpu(vcpu);
        Assert.Equal(416, fpu.Bytes.Length);
        Assert.Equal(0x37fUL, fpu.Fields["fcw"]);   // the reset value
        X86VcpuState.SetFpu(vcpu, fpu.With("fcw", 0x27f).With("xmm[0]", 0x1122334455667788));

        VcpuStateBlock back = X86VcpuState.GetFpu(vcpu);
        Assert.Equal(0x27fUL, back.Fields["fcw"]);
        Assert.Equal(0x1122334455667788UL, back.Fields["xmm[0]"]);
    }

    [KvmX86CapabilityFact(KvmCapability.Xsave)]
    public void TheXsaveAreaRoundTrips()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        VcpuStateBlock xsave = X86VcpuState.GetXsave(vcpu);
        Assert.True(xsave.Bytes.Length >= 4096);

        // XMM0 is at 160 in the legacy region; XSTATE_BV (offset 512) bit 1 says the SSE state is not in its init state.
        byte[] changed = xsave.Bytes.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(changed.AsSpan(160), 0x0123456789abcdef);
        BinaryPrimitives.WriteUInt64LittleEndian(changed.AsSpan(512), BinaryPrimitives.ReadUInt64LittleEndian(changed.AsSpan(512)) | 2);
        X86VcpuState.SetXsave(vcpu, new VcpuStateBlock(xsave.Struct, changed));

        Assert.Equal(0x0123456789abcdefUL, BinaryPrimitives.ReadUInt64LittleEndian(X86VcpuState.GetXsave(vcpu).Bytes.AsSpan(160)));
        Assert.Equal(0x0123456789abcdefUL, X86VcpuState.GetFpu(vcpu).Fields["xmm[0]"]);
    }

    [KvmX86CapabilityFact(KvmCapability.Xcrs)]
    public void Xcr0RoundTripsWithinWhatCpuidOffers()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        X86Cpuid.SetHostCpuid(vcpu);   // XCR0 may only enable what the vCPU's CPUID leaf 0xD offers

        VcpuStateBlock xcrs = X86VcpuState.GetXcrs(vcpu);
        Assert.Equal(1UL, xcrs.Fields["xcrs[0].value"] & 1);   // XCR0.x87 is always set
        X86VcpuState.SetXcrs(vcpu, xcrs.With("xcrs[0].value", 3));

        Assert.Equal(3UL, X86VcpuState.GetXcrs(vcpu).Fields["xcrs[0].value"]);
    }

    [KvmX86CapabilityFact(KvmCapability.VcpuEvents)]
    public void VcpuEventsRoundTrip()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();

        VcpuStateBlock events = X86VcpuState.GetEvents(vcpu);
        Assert.Equal(64, events.Bytes.Length);
        X86VcpuState.SetEvents(vcpu, events.With("nmi.masked", 1));

        Assert.Equal(1UL, X86VcpuState.GetEvents(vcpu).Fields["nmi.masked"]);
    }

    [KvmX86CapabilityFact(KvmCapability.Debugregs)]
    public void DebugRegistersRoundTrip()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();

        VcpuStateBlock dr = X86VcpuState.GetDebugRegisters(vcpu);
        X86VcpuState.SetDebugRegisters(vcpu, dr.With("db[0]", 0xdead000).With("dr7", 0x401));

        VcpuStateBlock back = X86VcpuState.GetDebugRegisters(vcpu);
        Assert.Equal(0xdead000UL, back.Fields["db[0]"]);
        Assert.Equal(0x401UL, back.Fields["dr7"]);
    }

    [KvmX86CapabilityFact(KvmCapability.GetMsrFeatures)]
    public void TheFeatureMsrsRead()
    {
        Assert.NotEmpty(X86Msrs.GetIndexList(_session.System, feature: true));
        Assert.NotEmpty(X86Msrs.GetFeatures(_session.System));
    }

    [KvmX86CapabilityFact(KvmCapability.Irqchip)]
    public void TheLapicNeedsTheIrqchipAndRoundTripsWithIt()
    {
        KvmVcpu bare = _session.CreateVm().CreateVcpu();
        var error = Assert.Throws<KvmPSException>(() => X86VcpuState.GetLapic(bare));
        Assert.Equal("NoIrqchip", error.ErrorId);
        Assert.Contains("CreateIrqchip", error.RecommendedAction, StringComparison.Ordinal);

        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();
        KvmVcpu vcpu = vm.CreateVcpu(0);
        LapicState lapic = X86VcpuState.GetLapic(vcpu);
        Assert.Equal(0u, lapic.Id >> 24);
        Assert.NotEqual(0u, lapic.Version & 0xff);
        byte[] changed = lapic.Bytes.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(changed.AsSpan(0x80), 0x20);   // TPR
        X86VcpuState.SetLapic(vcpu, new LapicState(changed));
        Assert.Equal(0x20u, X86VcpuState.GetLapic(vcpu).Tpr);
    }

    [KvmX86Fact]
    public void AWrongBlockIsRefusedBeforeAnyIoctl()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        VcpuStateBlock fpu = X86VcpuState.GetFpu(vcpu);

        Assert.Equal("WrongStateStruct", Assert.Throws<KvmPSException>(() => X86VcpuState.SetDebugRegisters(vcpu, fpu)).ErrorId);
        Assert.Equal("InvalidStateSize", Assert.Throws<KvmPSException>(() => X86VcpuState.SetFpu(vcpu, new VcpuStateBlock("kvm_fpu", new byte[3]))).ErrorId);
        Assert.Equal("UnknownStateField", Assert.Throws<KvmPSException>(() => fpu.With("nope", 1)).ErrorId);
    }

    [KvmX86CapabilityFact(KvmCapability.Irqchip)]
    public void AGuestSavedToFilesAndRestoredInANewVmFinishesLikeAnUninterruptedRun()
    {
        List<ulong> uninterrupted = RunCounter(NewCounterVm(out _), int.MaxValue);

        KvmVm first = NewCounterVm(out KvmVcpu vcpu);
        List<ulong> before = RunCounter(vcpu, 4);
        X86Msrs.Set(vcpu, [(SysenterCs, 0x77)]);
        string path = Path.Combine(Path.GetTempPath(), $"kvmps-vcpu-{Guid.NewGuid():N}.json");
        string vmPath = Path.ChangeExtension(path, ".vm.json");
        try
        {
            VcpuStateSnapshot.Export(vcpu, path);
            VmStateSnapshot.Export(first, vmPath);

            KvmVm second = _session.CreateVm();
            second.CreateIrqchip();
            second.CreatePit2();
            second.AddMemoryRegion(0, 0x10000).Write(0, first.ReadGuestMemory(0, 0x10000));
            KvmVcpu restored = second.CreateVcpu(0);
            VmStateSnapshot.Import(second, vmPath);
            VcpuStateSnapshot.Import(restored, path);
            List<ulong> after = RunCounter(restored, int.MaxValue);

            Assert.Equal(uninterrupted, before.Concat(after));
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), uninterrupted);
            Assert.Equal(0x77UL, X86Msrs.Get(restored, [SysenterCs])[0].Value);
            Assert.Equal(VmIrqchip.Get(first, IrqchipId.PicMaster).Raw, VmIrqchip.Get(second, IrqchipId.PicMaster).Raw);
        }
        finally
        {
            File.Delete(path);
            File.Delete(vmPath);
        }
    }

    [KvmX86Fact]
    public void AStateFileOfTheWrongFormatIsRefused()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"Format\":\"other\"}");
            Assert.Equal("InvalidVcpuStateFile", Assert.Throws<KvmPSException>(() => VcpuStateSnapshot.Import(vcpu, path)).ErrorId);
            File.WriteAllText(path, "not json");
            Assert.Equal("InvalidVcpuStateFile", Assert.Throws<KvmPSException>(() => VcpuStateSnapshot.Import(vcpu, path)).ErrorId);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal("VcpuStateFileNotFound", Assert.Throws<KvmPSException>(() => VcpuStateSnapshot.Import(vcpu, path)).ErrorId);
    }

    private KvmVm NewCounterVm(out KvmVcpu vcpu)
    {
        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();
        vm.CreatePit2();
        vm.AddMemoryRegion(0, 0x10000).Write(0x1000, s_counter);
        vcpu = vm.CreateVcpu(0);
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(0x1000));
        return vm;
    }

    private static List<ulong> RunCounter(KvmVm vm, int exits) => RunCounter(vm.Vcpus[0], exits);

    /// <summary>
    /// The values the guest writes to port 0x3f8, for at most <paramref name="exits"/> exits or until it wrote 10
    /// (with the in-kernel irqchip its final HLT halts inside KVM and never exits).
    /// </summary>
    private static List<ulong> RunCounter(KvmVcpu vcpu, int exits)
    {
        var values = new List<ulong>();
        while (values.Count < exits && values.LastOrDefault() != 10)
        {
            var io = Assert.IsType<IoExit>(vcpu.Run(TimeSpan.FromSeconds(10)));
            Assert.Equal(0x3f8, io.Port);
            values.Add(BinaryPrimitives.ReadUInt16LittleEndian(io.Data));
        }
        return values;
    }
}
