using KvmPS.Interop;
using KvmPS.Kvm.Registers;

namespace KvmPS.Kvm.X86;

/// <summary>Captures and restores a whole <see cref="VcpuState"/>, and reads and writes it as a JSON file.</summary>
public static class VcpuStateSnapshot
{
    private const uint TscDeadlineMsr = 0x6e0;

    public static VcpuState Capture(KvmVcpu vcpu)
    {
        RequireX86(vcpu);
        vcpu.CompletePendingOperation();
        KvmVm vm = vcpu.Vm;
        return new VcpuState
        {
            Regs = Bank(vcpu, RegisterBank.General),
            Sregs = Bank(vcpu, RegisterBank.Special),
            Fpu = X86VcpuState.GetFpu(vcpu),
            Xsave = Has(vm, KvmCapability.Xsave) ? X86VcpuState.GetXsave(vcpu) : null,
            Xcrs = Has(vm, KvmCapability.Xcrs) ? X86VcpuState.GetXcrs(vcpu) : null,
            Msrs = X86Msrs.Get(vcpu).ToList(),
            Lapic = vm.HasIrqchip ? X86VcpuState.GetLapic(vcpu) : null,
            Events = Has(vm, KvmCapability.VcpuEvents) ? X86VcpuState.GetEvents(vcpu) : null,
            MpState = Has(vm, KvmCapability.MpState) ? VcpuMpState.Get(vcpu) : null,
            DebugRegisters = Has(vm, KvmCapability.Debugregs) ? X86VcpuState.GetDebugRegisters(vcpu) : null,
        };
    }

    /// <summary>
    /// Restores in the order of QEMU's kvm_arch_put_registers (target/i386/kvm/kvm.c): regs, XSAVE (FPU without
    /// KVM_CAP_XSAVE), XCRs, sregs, MSRs (after sregs: EFER and APIC_BASE are also in kvm_sregs), vCPU events,
    /// MP state, then the LAPIC (QEMU's apic post_load) and IA32_TSC_DEADLINE again once the LAPIC's timer mode is
    /// back (kvm_put_tscdeadline_msr), debug registers last.
    /// </summary>
    public static void Restore(KvmVcpu vcpu, VcpuState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        RequireX86(vcpu);
        Check(state);
        if (state.Lapic is not null && !vcpu.Vm.HasIrqchip)
        {
            throw new KvmPSException("VcpuStateNeedsIrqchip", ErrorKind.InvalidOperation,
                $"The state holds a local APIC, but {vcpu.Vm} has no in-kernel irqchip to restore it into.",
                recommendedAction: "Create the in-kernel irqchip ($vm.CreateIrqchip()) before creating the vCPU, as the saved VM had.");
        }
        vcpu.SetRegisters(state.Regs);
        if (state.Xsave is not null)
        {
            X86VcpuState.SetXsave(vcpu, state.Xsave);
        }
        else if (state.Fpu is not null)
        {
            X86VcpuState.SetFpu(vcpu, state.Fpu);
        }
        if (state.Xcrs is not null)
        {
            X86VcpuState.SetXcrs(vcpu, state.Xcrs);
        }
        vcpu.SetRegisters(state.Sregs);
        X86Msrs.Set(vcpu, ChangedMsrs(vcpu, state.Msrs));
        if (state.Events is not null)
        {
            X86VcpuState.SetEvents(vcpu, state.Events);
        }
        if (state.MpState is KvmMpState mp)
        {
            VcpuMpState.Set(vcpu, mp);
        }
        if (state.Lapic is not null)
        {
            X86VcpuState.SetLapic(vcpu, state.Lapic);
            X86Msrs.Set(vcpu, state.Msrs.Where(m => m.Index == TscDeadlineMsr).Select(m => (m.Index, m.Value)).ToArray());
        }
        if (state.DebugRegisters is not null)
        {
            X86VcpuState.SetDebugRegisters(vcpu, state.DebugRegisters);
        }
    }

    public static void Export(KvmVcpu vcpu, string path) => Write(Capture(vcpu), path);

    public static void Import(KvmVcpu vcpu, string path) => Restore(vcpu, Read(path));

    public static void Write(VcpuState state, string path) => StateFile.Write(state, path);

    public static VcpuState Read(string path) =>
        Check(StateFile.Read<VcpuState>(path, "vCPU state", "VcpuStateFileNotFound", "InvalidVcpuStateFile"), path);

    private static VcpuState Check(VcpuState state, string? path = null)
    {
        string source = path is null ? "The state" : $"'{path}'";
        if (state.Format != VcpuState.CurrentFormat)
        {
            throw new KvmPSException("InvalidVcpuStateFile", ErrorKind.InvalidArgument,
                $"{source} has format '{state.Format}'; this KvmPS reads '{VcpuState.CurrentFormat}'.");
        }
        if (state.Architecture != CpuArchitecture.X86_64 || state.Regs.Count == 0 || state.Sregs.Count == 0)
        {
            throw new KvmPSException("InvalidVcpuStateFile", ErrorKind.InvalidArgument,
                $"{source} is not a complete x86_64 vCPU state (architecture {state.Architecture}, {state.Regs.Count} regs, {state.Sregs.Count} sregs).");
        }
        return state;
    }

    private static Dictionary<string, ulong> Bank(KvmVcpu vcpu, RegisterBank bank) =>
        vcpu.GetRegisters(bank).ToDictionary(r => r.Name, r => r.Value, StringComparer.OrdinalIgnoreCase);

    private static bool Has(KvmVm vm, KvmCapability capability) => vm.CheckExtension(capability) > 0;

    private static void RequireX86(KvmVcpu vcpu)
    {
        if (vcpu.Vm.Kernel.Architecture != CpuArchitecture.X86_64)
        {
            throw new KvmPSException("VcpuStateNeedsX86", ErrorKind.NotImplemented,
                $"vCPU state save and restore is x86 only; this host is {vcpu.Vm.Kernel.Architecture.UnameName()}.");
        }
    }

    /// <summary>
    /// The captured MSRs whose value differs from the target vCPU's: an MSR already holding the value is not written.
    /// Some writes are refused even when they change nothing, e.g. MSR_KVM_ASYNC_PF_INT without an in-kernel LAPIC
    /// (kvm_pv_enable_async_pf_int), although reading it works; QEMU writes such MSRs only where the feature is on.
    /// </summary>
    private static (uint Index, ulong Value)[] ChangedMsrs(KvmVcpu vcpu, IReadOnlyList<MsrValue> captured)
    {
        var current = X86Msrs.Get(vcpu, captured.Select(m => m.Index).ToArray()).ToDictionary(m => m.Index, m => m.Value);
        return captured.Where(m => !current.TryGetValue(m.Index, out ulong now) || now != m.Value).Select(m => (m.Index, m.Value)).ToArray();
    }
}
