namespace KvmPS.Commands;

/// <summary>
/// What to do next in cmdlet terms, by ErrorId. The object model's messages speak of VMs, vCPUs and ioctls; the
/// cmdlets that fix a situation are named here only, and KvmCmdlet appends the advice to the error's message and
/// makes it the RecommendedAction. Ioctl failures have the ErrorId &lt;ioctl&gt;.&lt;errno name&gt;.
/// </summary>
internal static class CmdletAdvice
{
    private const string NotSupportedSuffix = ".NotSupported";

    private static readonly Dictionary<string, string> s_byErrorId = new(StringComparer.Ordinal)
    {
        ["SmpNeedsIrqchip"] = "Create the VM with New-KvmVm -Smp, which creates the irqchip before the vCPUs.",
        ["TceTableLinkedToVfio"] = "Map memory for the device with Add-VfioDmaMapping, or remove the group from the VM first (Remove-KvmVfioGroup).",
        ["KVM_CREATE_SPAPR_TCE.EBUSY"] = "Remove the existing table (Remove-KvmSpaprTce) or use another LIOBN.",
        ["KVM_CREATE_SPAPR_TCE_64.EBUSY"] = "Remove the existing table (Remove-KvmSpaprTce) or use another LIOBN.",
        ["KVM_DIRTY_TLB.EINVAL"] = "Enable the shared TLB first with Enable-KvmPpcSoftwareTlb.",
        ["TceFileNotRecognized"] = "Give a file Export-KvmSpaprTce wrote.",
        ["VmNotFound"] = "Get-KvmVm lists the VMs of this session.",
        ["VcpuBusy"] = "Stop the run first: Stop-KvmVm for a started VM; Ctrl+C where Invoke-KvmVcpu runs, or Invoke-KvmVcpu -TimeoutSeconds; " +
            "or remove the VM (Remove-KvmVm kicks the vCPU out of the guest).",
        ["KVM_RUN.ENOSPC"] = "Add a memory region where the vCPU executes (New-KvmMemoryRegion), or point its registers at code inside one (Set-KvmRegister).",
        ["KVM_RUN.ENOEXEC"] = "On ARM, initialise the vCPU first with Initialize-KvmArmVcpu.",
        ["KVM_SET_MP_STATE.EINVAL"] = "On x86, create the in-kernel irqchip first (New-KvmIrqchip, or New-KvmVm -Smp).",
        ["NoIrqchip"] = "Create the in-kernel irqchip first: New-KvmIrqchip -Vm $vm, before any vCPU.",
        ["IrqchipAfterVcpus"] = "Create a new VM and call New-KvmIrqchip before New-KvmVcpu (or use New-KvmVm -Smp, which does both in order).",
        ["IoeventfdRemoved"] = "Create a new one with New-KvmIoeventfd.",
        ["IrqfdRemoved"] = "Create a new one with New-KvmIrqfd.",
        ["InvalidTscFrequency"] = "Give the frequency in kHz, e.g. 2000000 for 2 GHz (Get-KvmTscKhz shows the current one).",
        ["KVM_SET_TSC_KHZ.EINVAL"] = "Choose a rate closer to the host's (Get-KvmTscKhz).",
        ["UnknownCapability"] = "Get-KvmCapability lists every capability KvmPS knows.",
        ["KVM_SET_CPUID2.EINVAL"] = "Set CPUID before the vCPU first runs (Invoke-KvmVcpu, Start-KvmVm), from the rows of Get-KvmSupportedCpuid.",
        ["KVM_SET_CPUID2.EFAULT"] = "Set CPUID before the vCPU first runs (Invoke-KvmVcpu, Start-KvmVm), from the rows of Get-KvmSupportedCpuid.",
        ["InvalidIrqchipState"] = "Pass an object that Get-KvmIrqchip returned, changed through its Pic or Ioapic properties.",
        ["UnknownMsrName"] = "Give the MSR by number with -Index (Get-KvmMsrIndexList lists what KVM handles).",
        ["VcpuStateFileNotFound"] = "Give the path Export-KvmVcpuState wrote.",
        ["InvalidVcpuStateFile"] = "Give a file Export-KvmVcpuState wrote, or a state Get-KvmVcpuState made on x86_64.",
        ["MsrRefused"] = "Check that the MSR is in Get-KvmMsrIndexList and the value is valid for it (reserved bits clear, CPUID set first with Set-KvmCpuid).",
        ["S390MappingOverlaps"] = "Remove the existing mapping first (Remove-KvmS390Mapping).",
        ["S390GuestAddressNotMapped"] = "Map it first with Add-KvmS390Mapping.",
        ["S390VmNotUserControlled"] = "Create the VM with New-KvmVm -S390UserControlled.",
        ["KVM_GET_REG_LIST.ENOEXEC"] = "Initialise the vCPU first with Initialize-KvmArmVcpu.",
        ["ArmIrqchipRequired"] = "Create the irqchip first (New-KvmIrqchip), or use the device-attribute path (New-KvmArmVgic, then Set-KvmArmDeviceAddress -Method DeviceAttribute).",
        ["MemoryRegionRemoved"] = "Get-KvmMemoryRegion lists the current regions.",
        ["IrqchipInKernel"] = "Raise an irqchip input with Set-KvmIrqLine, or send an MSI with Send-KvmMsi, instead.",
        ["KVM_INTERRUPT.EEXIST"] = "Run the vCPU (Invoke-KvmVcpu) until the guest takes the queued interrupt, then inject again.",
        ["SerialPortNotFound"] = "Add-KvmSerialPort adds one; Get-KvmVm shows the VM's devices.",
        ["VmAlreadyRunning"] = "Stop-KvmVm stops it.",
        ["VmHasNoVcpus"] = "Add one with New-KvmVcpu.",
        ["VmStopTimedOut"] = "Remove-KvmVm releases the VM regardless.",
        ["VmWaitTimedOut"] = "Stop-KvmVm stops it; Get-KvmStatistic shows what its vCPUs do.",
        ["KvmSpaprTceTableClosed"] = "Create the table again with New-KvmSpaprTce.",
        ["KvmVfioDeviceNotFound"] = "Add a group to the VM first (Add-KvmVfioGroup).",
        ["KvmVfioGroupNotAdded"] = "Add the group to the VM first (Add-KvmVfioGroup).",
        ["KvmSpaprTceTableNotFound"] = "Pipe a table made for this VM: New-KvmSpaprTce -Vm $vm ... | Set-KvmVfioSpaprTce -Group <group>.",
        ["KvmVfioTceTableIncompatible"] = "Create a table that fits with New-KvmSpaprTce -PageShift -Offset -Size, or a window with New-VfioDmaWindow (Get-VfioDmaWindow lists them).",
        ["VfioIommuNeedsGroup"] = "Add a group to the container first (Add-VfioGroup).",
        ["VfioIommuNotSet"] = "Attach a group (Add-VfioGroup), then set the IOMMU type (Set-VfioIommu).",
        ["VfioGroupNotFound"] = "Get-VfioGroup shows the group's devices and their drivers.",
        ["VfioContainerNotOpen"] = "Get-VfioContainer lists the open containers.",
        ["VFIO_IOMMU_UNMAP_DMA.EPERM"] = "Register memory first (Register-VfioMemory).",
        ["VfioMemoryNotRegistered"] = "Register the memory first (Register-VfioMemory).",
        ["VfioDefaultWindowPending"] = "Register the guest memory first (Register-VfioMemory), then link again.",
        ["KVM_GET_ONE_REG.ENOENT"] = "Get-KvmRegisterList lists the register ids this vCPU has (where the architecture implements it).",
        ["KVM_SET_ONE_REG.ENOENT"] = "Get-KvmRegisterList lists the register ids this vCPU has (where the architecture implements it).",
        ["KVM_KVMCLOCK_CTRL.EINVAL"] = "A guest enables kvmclock itself; from the host, Set-KvmMsr -Index 0x4b564d01 -Value (<guest physical address> -bor 1) sets one up.",
        ["KickSignalBlocked"] = "Leave 28 (SIGWINCH) out of Set-KvmSignalMask -Signal: Invoke-KvmVcpu -TimeoutSeconds, Ctrl+C, Stop-KvmVm and Remove-KvmVm interrupt the guest with it.",
        ["KVM_X86_SETUP_MCE.EINVAL"] = "Give Initialize-KvmMce -Capabilities only bits that Get-KvmMceCapability reports.",
        ["KVM_X86_SET_MCE.EINVAL"] = "Give Send-KvmMce a -Bank below the count given to Initialize-KvmMce -Banks (run Initialize-KvmMce first).",
        ["MceStatusNotValid"] = "Set bit 63 (VAL) in Send-KvmMce -Status, e.g. -Status 0x8000000000000000.",
        ["LegacyCpuidIndex"] = "Use Set-KvmCpuid without -Legacy for indexed leaves (leaves 4, 7, 0xB, 0xD, ...).",
        ["KVM_SET_CPUID.EINVAL"] = "Set CPUID before the vCPU first runs (Invoke-KvmVcpu, Start-KvmVm), from the rows of Get-KvmSupportedCpuid.",
        ["TooManyHardwareBreakpoints"] = "Give Set-KvmGuestDebug -HardwareBreakpoint at most four addresses.",
        ["NotX86"] = "Run it on an x86_64 host (Get-KvmHost shows the architecture).",
        ["NoPit"] = "Create the in-kernel PIT first: New-KvmPit -Vm $vm, after New-KvmIrqchip (New-KvmVm -Smp creates both).",
        ["InvalidPitState"] = "Pass an object that Get-KvmPit returned, changed through its Flags or Channels properties.",
        ["KVM_GET_PIT2.ENXIO"] = "Create the in-kernel PIT first with New-KvmPit.",
        ["KVM_SET_PIT2.ENXIO"] = "Create the in-kernel PIT first with New-KvmPit.",
        ["VmStateFileNotFound"] = "Give the path Export-KvmVmState wrote.",
        ["InvalidVmStateFile"] = "Give a file Export-KvmVmState wrote, or a state Get-KvmVmState made on x86_64.",
        ["VmStateNeedsIrqchip"] = "Create the VM with New-KvmVm -Smp, or call New-KvmIrqchip before New-KvmVcpu, as the saved VM had.",
        ["VmStateNeedsPit"] = "Create the PIT with New-KvmPit (or New-KvmVm -Smp), as the saved VM had.",
        ["IdentityMapAfterVcpus"] = "Create the VM with New-KvmVm -IdentityMapAddress, before New-KvmVcpu.",
        ["BootCpuAfterVcpus"] = "Create the VM with New-KvmVm -BootCpuId, before New-KvmVcpu.",
        ["KVM_SET_BOOT_CPU_ID.EBUSY"] = "Create the VM with New-KvmVm -BootCpuId, before New-KvmVcpu.",
        ["CoalescedMmioNeedsVcpu"] = "Create a vCPU with New-KvmVcpu, run it (Invoke-KvmVcpu), then Read-KvmCoalescedMmio.",
        ["InvalidCoalescedZone"] = "Give Register-KvmCoalescedMmio a -Size above 0 (and, with -Pio, ports below 0x10000).",
        ["KVM_REGISTER_COALESCED_MMIO.ENOSPC"] = "Remove zones with Unregister-KvmCoalescedMmio, or ioeventfds with Remove-KvmIoeventfd.",
        ["DirtyLogIsRing"] = "Read the VM's dirty rings with Get-KvmDirtyLog -Vm $vm.",
        ["DirtyRingNotEnabled"] = "Create the VM with New-KvmVm -DirtyRingSize (and its memory with -LogDirtyPages), or read the bitmap: Get-KvmDirtyLog -Region.",
        ["DirtyRingAfterVcpus"] = "Create the VM with New-KvmVm -DirtyRingSize, which enables the ring before -Smp creates vCPUs.",
        ["InvalidDirtyRingSize"] = "Give New-KvmVm -DirtyRingSize a power of two such as 64KB (Get-KvmCapability -Name KVM_CAP_DIRTY_LOG_RING shows the maximum).",
        ["GuestMemfdOfAnotherVm"] = "Create a guest_memfd for this VM with New-KvmGuestMemfd -Vm $vm.",
        ["GuestMemfdRemoved"] = "Create a new one with New-KvmGuestMemfd.",
        ["InvalidGuestMemfdRange"] = "Give New-KvmMemoryRegion a -Size and page-aligned -GuestMemfdOffset inside the guest_memfd (its Size property).",
        ["ObjectRemoved"] = "Get-KvmVm and Get-KvmVcpu list the objects that still exist.",
    };

    /// <summary>The advice for <paramref name="errorId"/>, or null when the object model's own advice is all there is.</summary>
    public static string? For(string errorId)
    {
        if (s_byErrorId.TryGetValue(errorId, out string? advice))
        {
            return advice;
        }
        if (errorId.EndsWith(NotSupportedSuffix, StringComparison.Ordinal))
        {
            string capability = errorId[..^NotSupportedSuffix.Length];
            return $"Run it on a host whose KVM reports {capability} (Get-KvmCapability -Name {capability}).";
        }
        return null;
    }
}
