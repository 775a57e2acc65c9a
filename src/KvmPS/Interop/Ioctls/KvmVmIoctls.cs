using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using static KvmPS.Interop.Ioctls.IoctlsOn<KvmPS.Interop.Handles.IKvmVmDescriptor>;
using static KvmPS.Interop.Ioctls.KvmIoctlType;

namespace KvmPS.Interop.Ioctls;

/// <summary>ioctls on a VM descriptor.</summary>
internal static class KvmVmIoctls
{
    public static readonly IoctlDefinition<IKvmVmDescriptor> CreateVcpu = IO(Kvmio, "KVM_CREATE_VCPU", 0x41);
    public static readonly IoctlDefinition<IKvmVmDescriptor> GetDirtyLog = IOW(Kvmio, "KVM_GET_DIRTY_LOG", 0x42, KvmStructs.DirtyLog);
    public static readonly IoctlDefinition<IKvmVmDescriptor> SetUserMemoryRegion = IOW(Kvmio, "KVM_SET_USER_MEMORY_REGION", 0x46, KvmStructs.UserspaceMemoryRegion);
    /// <summary>x86 ioctls, but linux/kvm.h defines both on every architecture; other KVMs reject them.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> SetTssAddr = IO(Kvmio, "KVM_SET_TSS_ADDR", 0x47);
    public static readonly IoctlDefinition<IKvmVmDescriptor> SetIdentityMapAddr = IOW(Kvmio, "KVM_SET_IDENTITY_MAP_ADDR", 0x48, CPrimitive.U64);
    /// <summary>Linux 6.8 (api.rst 4.141): newer than the installed headers; see tests/KvmPS.Abi.Tests/NewerThanHeaders.cs.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> SetUserMemoryRegion2 = IOW(Kvmio, "KVM_SET_USER_MEMORY_REGION2", 0x49, KvmStructs.UserspaceMemoryRegion2);
    public static readonly IoctlDefinition<IKvmVmDescriptor> CreateIrqchip = IO(Kvmio, "KVM_CREATE_IRQCHIP", 0x60);
    public static readonly IoctlDefinition<IKvmVmDescriptor> IrqLine = IOW(Kvmio, "KVM_IRQ_LINE", 0x61, KvmStructs.IrqLevel);
    public static readonly IoctlDefinition<IKvmVmDescriptor> GetIrqchip = IOWR(Kvmio, "KVM_GET_IRQCHIP", 0x62, InterruptStructs.Irqchip);
    /// <summary>_IOR although userspace writes the struct: the header's historic direction (api.txt 4.27).</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> SetIrqchip = IOR(Kvmio, "KVM_SET_IRQCHIP", 0x63, InterruptStructs.Irqchip);
    public static readonly IoctlDefinition<IKvmVmDescriptor> RegisterCoalescedMmio = IOW(Kvmio, "KVM_REGISTER_COALESCED_MMIO", 0x67, KvmStructs.CoalescedMmioZone);
    public static readonly IoctlDefinition<IKvmVmDescriptor> UnregisterCoalescedMmio = IOW(Kvmio, "KVM_UNREGISTER_COALESCED_MMIO", 0x68, KvmStructs.CoalescedMmioZone);
    public static readonly IoctlDefinition<IKvmVmDescriptor> IrqLineStatus = IOWR(Kvmio, "KVM_IRQ_LINE_STATUS", 0x67, KvmStructs.IrqLevel);
    public static readonly IoctlDefinition<IKvmVmDescriptor> SetGsiRouting = IOW(Kvmio, "KVM_SET_GSI_ROUTING", 0x6a, InterruptStructs.IrqRouting);
    public static readonly IoctlDefinition<IKvmVmDescriptor> Irqfd = IOW(Kvmio, "KVM_IRQFD", 0x76, InterruptStructs.Irqfd);

    /// <summary>x86 in practice (api.txt 4.57), but linux/kvm.h defines it and its struct on every architecture.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> CreatePit2 = IOW(Kvmio, "KVM_CREATE_PIT2", 0x77, X86Structs.PitConfig);
    /// <summary>The argument is the vCPU id itself, not a pointer (api.txt 4.41).</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> SetBootCpuId = IO(Kvmio, "KVM_SET_BOOT_CPU_ID", 0x78);
    public static readonly IoctlDefinition<IKvmVmDescriptor> XenHvmConfig = IOW(Kvmio, "KVM_XEN_HVM_CONFIG", 0x7a, X86Structs.XenHvmConfig);
    public static readonly IoctlDefinition<IKvmVmDescriptor> Ioeventfd = IOW(Kvmio, "KVM_IOEVENTFD", 0x79, InterruptStructs.Ioeventfd);
    public static readonly IoctlDefinition<IKvmVmDescriptor> SetClock = IOW(Kvmio, "KVM_SET_CLOCK", 0x7b, InterruptStructs.ClockData);
    public static readonly IoctlDefinition<IKvmVmDescriptor> GetClock = IOR(Kvmio, "KVM_GET_CLOCK", 0x7c, InterruptStructs.ClockData);
    /// <summary>kvm_pit_state2 is in x86's asm/kvm.h only, so only x86 computes these numbers.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> GetPit2 = IOR(Kvmio, "KVM_GET_PIT2", 0x9f, X86Structs.PitState2);
    public static readonly IoctlDefinition<IKvmVmDescriptor> SetPit2 = IOW(Kvmio, "KVM_SET_PIT2", 0xa0, X86Structs.PitState2);

    /// <summary>A VM ioctl with KVM_CAP_ENABLE_CAP_VM, a vCPU ioctl otherwise (api.txt 4.37).</summary>
    public static readonly IoctlDefinition<IEnableCapDescriptor> EnableCap = IoctlsOn<IEnableCapDescriptor>.IOW(Kvmio, "KVM_ENABLE_CAP", 0xa3, KvmStructs.EnableCap);
    public static readonly IoctlDefinition<IKvmVmDescriptor> SignalMsi = IOW(Kvmio, "KVM_SIGNAL_MSI", 0xa5, InterruptStructs.Msi);

    /// <summary>Recycles the dirty-ring entries userspace marked harvested on every vCPU; returns how many (api.rst 8.29).</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> ResetDirtyRings = IO(Kvmio, "KVM_RESET_DIRTY_RINGS", 0xc7);

    /// <summary>A VM and a vCPU ioctl alike (api.rst 4.133); returns a descriptor to read() the statistics from.</summary>
    public static readonly IoctlDefinition<IStatsDescriptor> GetStatsFd = IoctlsOn<IStatsDescriptor>.IO(Kvmio, "KVM_GET_STATS_FD", 0xce);
    /// <summary>Linux 6.8 (api.rst 4.142): returns the new guest_memfd; newer than the installed headers like the above.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> CreateGuestMemfd = IOWR(Kvmio, "KVM_CREATE_GUEST_MEMFD", 0xd4, KvmStructs.CreateGuestMemfd);
    public static readonly IoctlDefinition<IKvmVmDescriptor> CreateDevice = IOWR(Kvmio, "KVM_CREATE_DEVICE", 0xe0, KvmStructs.CreateDevice);

    /// <summary>x86 (api.rst 4.126, KVM_CAP_X86_MSR_FILTER); replaces the VM's whole filter.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> X86SetMsrFilter = IOW(Kvmio, "KVM_X86_SET_MSR_FILTER", 0xc6, X86Structs.MsrFilter, ArchitectureSet.X86_64);
}
