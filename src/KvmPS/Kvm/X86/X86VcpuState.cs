using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm.X86;

/// <summary>
/// The x86 vCPU state structs beyond kvm_regs/kvm_sregs: FPU (api.txt 4.22/4.23), XSAVE (4.42/4.43, 4.135),
/// XCRs (4.44/4.45), pending events (4.31/4.32), debug registers (4.33/4.34) and the local APIC (4.57/4.58).
/// Each read needs the capability named; its absence is the module's "not supported on this host" error.
/// </summary>
public static class X86VcpuState
{
    private const int XsaveSize = 4096;

    public static VcpuStateBlock Get(KvmVcpu vcpu, VcpuStateKind kind) => kind switch
    {
        VcpuStateKind.Fpu => GetFpu(vcpu),
        VcpuStateKind.Xsave => GetXsave(vcpu),
        VcpuStateKind.Xcrs => GetXcrs(vcpu),
        VcpuStateKind.Events => GetEvents(vcpu),
        VcpuStateKind.DebugRegisters => GetDebugRegisters(vcpu),
        _ => throw KvmPSException.InvalidArgument("InvalidStateKind", $"{kind} is not one of {string.Join(", ", Enum.GetNames<VcpuStateKind>())}."),
    };

    /// <summary>Writes a block back with the ioctl of its struct (kvm_fpu, kvm_xsave, kvm_xcrs, kvm_vcpu_events, kvm_debugregs).</summary>
    public static void Set(KvmVcpu vcpu, VcpuStateBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        Action<KvmVcpu, VcpuStateBlock> set = block.Struct switch
        {
            "kvm_fpu" => SetFpu,
            "kvm_xsave" => SetXsave,
            "kvm_xcrs" => SetXcrs,
            "kvm_vcpu_events" => (v, b) => SetEvents(v, b),
            "kvm_debugregs" => SetDebugRegisters,
            _ => throw KvmPSException.InvalidArgument("WrongStateStruct",
                $"struct {block.Struct} is not a vCPU state struct KvmPS writes (kvm_fpu, kvm_xsave, kvm_xcrs, kvm_vcpu_events, kvm_debugregs)."),
        };
        set(vcpu, block);
    }

    public static VcpuStateBlock GetFpu(KvmVcpu vcpu) => Read(vcpu, KvmVcpuIoctls.GetFpu, X86StateStructs.Fpu);

    public static void SetFpu(KvmVcpu vcpu, VcpuStateBlock fpu) => Write(vcpu, KvmVcpuIoctls.SetFpu, X86StateStructs.Fpu, fpu);

    /// <summary>
    /// KVM_GET_XSAVE2 with the size KVM_CAP_XSAVE2 reports where the host has it (as QEMU does), else KVM_GET_XSAVE
    /// (api.txt 4.42, 4.135).
    /// </summary>
    public static VcpuStateBlock GetXsave(KvmVcpu vcpu)
    {
        vcpu.Vm.RequireCapability(KvmCapability.Xsave, "vCPU XSAVE state (KVM_GET_XSAVE)");
        int xsave2 = vcpu.Vm.CheckExtension(KvmCapability.Xsave2);
        int size = Math.Max(XsaveSize, xsave2);
        IoctlDefinition<IKvmVcpuDescriptor> ioctl = xsave2 > 0 ? KvmVcpuIoctls.GetXsave2 : KvmVcpuIoctls.GetXsave;
        byte[] bytes = GC.AllocateArray<byte>(size, pinned: true);
        vcpu.OnVcpuThread(handle => handle.Ioctl(ioctl, bytes.AsSpan()));
        return new VcpuStateBlock(X86StateStructs.Xsave, vcpu.Vm.Kernel.Architecture, bytes, withFields: false);
    }

    /// <summary>KVM_SET_XSAVE reads as many bytes as KVM_CAP_XSAVE2 reports (at least 4096; api.txt 4.43).</summary>
    public static void SetXsave(KvmVcpu vcpu, VcpuStateBlock xsave)
    {
        vcpu.Vm.RequireCapability(KvmCapability.Xsave, "vCPU XSAVE state (KVM_SET_XSAVE)");
        int size = Math.Max(XsaveSize, vcpu.Vm.CheckExtension(KvmCapability.Xsave2));
        byte[] bytes = GC.AllocateArray<byte>(size, pinned: true);
        CheckStruct(xsave, X86StateStructs.Xsave, XsaveSize, size);
        xsave.Bytes.CopyTo(bytes, 0);
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.SetXsave, bytes.AsSpan(), XsaveHint));
    }

    public static VcpuStateBlock GetXcrs(KvmVcpu vcpu) =>
        Read(vcpu, KvmVcpuIoctls.GetXcrs, X86StateStructs.Xcrs, KvmCapability.Xcrs, "extended control registers (KVM_GET_XCRS)");

    public static void SetXcrs(KvmVcpu vcpu, VcpuStateBlock xcrs) =>
        Write(vcpu, KvmVcpuIoctls.SetXcrs, X86StateStructs.Xcrs, xcrs, KvmCapability.Xcrs, "extended control registers (KVM_SET_XCRS)");

    public static VcpuStateBlock GetEvents(KvmVcpu vcpu) =>
        Read(vcpu, KvmVcpuIoctls.GetVcpuEvents, X86StateStructs.VcpuEvents, KvmCapability.VcpuEvents, "vCPU events (KVM_GET_VCPU_EVENTS)");

    /// <summary>
    /// api.txt 4.32: nmi.pending and sipi_vector are only restored when flags says so (KVM_VCPUEVENT_VALID_NMI_PENDING,
    /// KVM_VCPUEVENT_VALID_SIPI_VECTOR); KVM_GET_VCPU_EVENTS does not set those bits, so a restore adds them.
    /// </summary>
    public static void SetEvents(KvmVcpu vcpu, VcpuStateBlock events, bool restoreAll = true)
    {
        const ulong validNmiPending = 0x1, validSipiVector = 0x2;
        VcpuStateBlock block = restoreAll && events.Fields.TryGetValue("flags", out ulong flags)
            ? events.With("flags", flags | validNmiPending | validSipiVector)
            : events;
        Write(vcpu, KvmVcpuIoctls.SetVcpuEvents, X86StateStructs.VcpuEvents, block, KvmCapability.VcpuEvents, "vCPU events (KVM_SET_VCPU_EVENTS)");
    }

    public static VcpuStateBlock GetDebugRegisters(KvmVcpu vcpu) =>
        Read(vcpu, KvmVcpuIoctls.GetDebugRegs, X86StateStructs.DebugRegs, KvmCapability.Debugregs, "debug registers (KVM_GET_DEBUGREGS)");

    public static void SetDebugRegisters(KvmVcpu vcpu, VcpuStateBlock debugRegisters) =>
        Write(vcpu, KvmVcpuIoctls.SetDebugRegs, X86StateStructs.DebugRegs, debugRegisters, KvmCapability.Debugregs, "debug registers (KVM_SET_DEBUGREGS)");

    /// <summary>The local APIC's registers; the APIC lives in the kernel only with an in-kernel irqchip (api.txt 4.57).</summary>
    public static LapicState GetLapic(KvmVcpu vcpu)
    {
        RequireIrqchip(vcpu, "KVM_GET_LAPIC");
        byte[] bytes = new byte[LapicState.Size];
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.GetLapic, bytes.AsSpan()));
        return new LapicState(bytes);
    }

    public static void SetLapic(KvmVcpu vcpu, LapicState lapic)
    {
        ArgumentNullException.ThrowIfNull(lapic);
        RequireIrqchip(vcpu, "KVM_SET_LAPIC");
        if (lapic.Bytes.Length != LapicState.Size)
        {
            throw KvmPSException.InvalidArgument("InvalidStateSize", $"A local APIC state is {LapicState.Size} bytes; {lapic.Bytes.Length} were given.");
        }
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.SetLapic, lapic.Bytes.ToArray().AsSpan()));
    }

    private static void RequireIrqchip(KvmVcpu vcpu, string ioctl)
    {
        vcpu.Vm.RequireCapability(KvmCapability.Irqchip, $"the in-kernel local APIC ({ioctl})");
        if (!vcpu.Vm.HasIrqchip)
        {
            throw new KvmPSException("NoIrqchip", ErrorKind.InvalidOperation,
                $"{ioctl} needs the in-kernel irqchip, and {vcpu.Vm} has none: its local APICs are not emulated by KVM.",
                recommendedAction: "Create the in-kernel irqchip ($vm.CreateIrqchip(), KVM_CREATE_IRQCHIP) before creating the VM's vCPUs.");
        }
    }

    private static VcpuStateBlock Read(KvmVcpu vcpu, IoctlDefinition<IKvmVcpuDescriptor> ioctl, KernelStruct kernelStruct, KvmCapability? capability = null, string? what = null)
    {
        if (capability is KvmCapability cap)
        {
            vcpu.Vm.RequireCapability(cap, what!);
        }
        CpuArchitecture arch = vcpu.Vm.Kernel.Architecture;
        byte[] bytes = new byte[kernelStruct.SizeOn(arch)];
        vcpu.OnVcpuThread(handle => handle.Ioctl(ioctl, bytes.AsSpan()));
        return new VcpuStateBlock(kernelStruct, arch, bytes);
    }

    private static void Write(KvmVcpu vcpu, IoctlDefinition<IKvmVcpuDescriptor> ioctl, KernelStruct kernelStruct, VcpuStateBlock block, KvmCapability? capability = null, string? what = null)
    {
        if (capability is KvmCapability cap)
        {
            vcpu.Vm.RequireCapability(cap, what!);
        }
        int size = kernelStruct.SizeOn(vcpu.Vm.Kernel.Architecture);
        CheckStruct(block, kernelStruct, size, size);
        byte[] bytes = block.Bytes.ToArray();
        vcpu.OnVcpuThread(handle => handle.Ioctl(ioctl, bytes.AsSpan(), errno => errno == Errno.EINVAL
            ? $"KVM refused the {kernelStruct.Name} values (a reserved bit or an invalid combination)."
            : null));
    }

    private static void CheckStruct(VcpuStateBlock block, KernelStruct kernelStruct, int minSize, int maxSize)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Struct != kernelStruct.Name)
        {
            throw KvmPSException.InvalidArgument("WrongStateStruct", $"Expected a struct {kernelStruct.Name}, got a struct {block.Struct}.");
        }
        if (block.Bytes.Length < minSize || block.Bytes.Length > maxSize)
        {
            throw KvmPSException.InvalidArgument("InvalidStateSize",
                $"struct {kernelStruct.Name} is {(minSize == maxSize ? $"{minSize}" : $"{minSize} to {maxSize}")} bytes on this host; {block.Bytes.Length} were given.");
        }
    }

    private static string? XsaveHint(int errno) => errno == Errno.EINVAL
        ? "KVM refused the XSAVE area: it names a component this host's XCR0 or the vCPU's CPUID does not allow."
        : null;
}
