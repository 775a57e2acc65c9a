using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.Arm;

/// <summary>
/// Places the VGIC register frames in guest physical space, through KVM_ARM_SET_DEVICE_ADDR (api.txt 4.80,
/// deprecated) or KVM_SET_DEVICE_ATTR group KVM_DEV_ARM_VGIC_GRP_ADDR. The documented order (after the irqchip
/// exists, before any vCPU runs, each base once), the alignment and the IPA bound are checked before any ioctl.
/// </summary>
public static class ArmDeviceAddresses
{
    /// <summary>KVM_VM_TYPE_ARM_IPA_SIZE_MASK; 0 in those bits means the default 40-bit IPA space.</summary>
    private const ulong IpaSizeMask = 0xff;
    private const int DefaultIpaBits = 40;

    /// <summary>The addresses set on this VM so far, keyed by kernel address-type name.</summary>
    public static IReadOnlyList<ArmDeviceAddress> Get(KvmVm vm)
    {
        Dictionary<string, ArmDeviceAddress> set = vm.Architecture.Get<ArmVmState>().DeviceAddresses;
        lock (set)
        {
            return set.Values.ToArray();
        }
    }

    /// <summary>The guest physical address width of the VM: its KVM_CREATE_VM type's IPA field, or 40 bits.</summary>
    public static int IpaBits(KvmVm vm) => (vm.MachineType & IpaSizeMask) is var bits and > 0 ? (int)bits : DefaultIpaBits;

    public static ArmDeviceAddress Set(KvmVm vm, ArmDevice device, ArmAddressType addressType, ulong address,
        ArmDeviceAddressMethod method = ArmDeviceAddressMethod.Auto) =>
        Set(vm, VgicRegion.Of(device, addressType), address, method);

    /// <summary>
    /// A raw KVM_ARM_SET_DEVICE_ADDR id. Ids naming a VGICv2 frame get every check of the named form; other ids go to
    /// the kernel unchanged through the legacy ioctl, which answers ENODEV for a device it does not know.
    /// </summary>
    public static ArmDeviceAddress SetById(KvmVm vm, ulong id, ulong address, ArmDeviceAddressMethod method = ArmDeviceAddressMethod.Auto)
    {
        ArmDeviceAddressId parsed = ArmDeviceAddressId.FromRaw(id);
        if (VgicRegion.OfLegacyId(parsed) is { } region)
        {
            return Set(vm, region, address, method);
        }
        if (method == ArmDeviceAddressMethod.DeviceAttribute)
        {
            throw KvmPSException.InvalidArgument("ArmDeviceIdHasNoAttribute",
                $"Id {parsed} names no VGIC frame KvmPS knows, so it has no device attribute; use -Method Legacy to pass it to KVM_ARM_SET_DEVICE_ADDR as is.");
        }
        RequireLegacyOrder(vm);
        var request = new KvmArmDeviceAddr { Id = parsed.Value, Addr = address };
        vm.Descriptor.Ioctl(ArmIoctls.SetDeviceAddr, ref request, errno => Hint(errno, vm, null, address, ArmDeviceAddressMethod.Legacy));
        return new ArmDeviceAddress(vm.Id, null, null, $"device {parsed.DeviceId} type {parsed.AddressType}", parsed.Value, address, 0, ArmDeviceAddressMethod.Legacy);
    }

    public static ArmDeviceAddress Set(KvmVm vm, VgicRegion region, ulong address, ArmDeviceAddressMethod method = ArmDeviceAddressMethod.Auto)
    {
        if (method == ArmDeviceAddressMethod.Legacy && region.LegacyAddressType is null)
        {
            throw KvmPSException.InvalidArgument("ArmVgicV3NeedsDeviceAttribute",
                $"{region} has no KVM_ARM_SET_DEVICE_ADDR id: VGICv3 addresses are set only through KVM_SET_DEVICE_ATTR (-Method DeviceAttribute or Auto).");
        }
        ArmDeviceAddressMethod chosen = method == ArmDeviceAddressMethod.Auto ? ChooseMethod(vm, region) : method;
        if (chosen == ArmDeviceAddressMethod.Legacy)
        {
            vm.RequireCapability(KvmCapability.ArmSetDeviceAddr, "KVM_ARM_SET_DEVICE_ADDR (legacy VGIC addresses)");
        }
        else
        {
            vm.RequireCapability(KvmCapability.DeviceCtrl, "KVM_CREATE_DEVICE (the VGIC device-attribute API)");
        }

        ulong size = region.SizeFor(vm.Vcpus.Count);
        CheckRange(vm, region, address, size);
        Dictionary<string, ArmDeviceAddress> set = vm.Architecture.Get<ArmVmState>().DeviceAddresses;
        lock (set)
        {
            KvmDevice? vgic = chosen == ArmDeviceAddressMethod.Legacy ? null : RequireAttributeOrder(vm, region.Device);
            if (chosen == ArmDeviceAddressMethod.Legacy)
            {
                RequireLegacyOrder(vm);
            }
            if (set.TryGetValue(region.KernelName, out ArmDeviceAddress? existing))
            {
                throw new KvmPSException("ArmDeviceAddressAlreadySet", ErrorKind.ResourceExists,
                    $"Address already set: the {region} base of VM {vm.Id} is 0x{existing.Address:X}; the kernel accepts each base address once (api.txt 4.80: EEXIST).");
            }
            var range = new AddressRange(address, size);
            if (set.Values.FirstOrDefault(other => other.Size > 0 && range.Overlaps(new AddressRange(other.Address, other.Size))) is { } overlapping)
            {
                // The kernel takes overlapping frames here (vgic_check_iorange compares none) and fails the first KVM_RUN
                // instead: kvm_vgic_map_resources -> vgic_v2_check_base / vgic_v3_check_base, EINVAL. Refused now.
                throw KvmPSException.InvalidArgument("ArmDeviceAddressOverlap",
                    $"{region} range {range} overlaps the {overlapping.KernelAddressType} range {new AddressRange(overlapping.Address, overlapping.Size)}. " +
                    "The kernel would accept it and then fail the first KVM_RUN with EINVAL (vgic_v2_check_base / vgic_v3_check_base); choose a base outside the other frame.");
            }

            Func<int, string?> hint = errno => Hint(errno, vm, region, address, chosen);
            KvmDevice? target = chosen == ArmDeviceAddressMethod.Legacy ? null : vgic ?? ArmVgic.Create(vm, region.Device);
            SetThrough(vm, target, region, address, hint);
            var result = new ArmDeviceAddress(vm.Id, region.Device, region.AddressType, region.KernelName, region.LegacyId?.Value, address, size, chosen);
            set[region.KernelName] = result;
            return result;
        }
    }

    private static void SetThrough(KvmVm vm, KvmDevice? vgic, VgicRegion region, ulong address, Func<int, string?> hint)
    {
        if (vgic is null)
        {
            var request = new KvmArmDeviceAddr { Id = region.LegacyId!.Value.Value, Addr = address };
            vm.Descriptor.Ioctl(ArmIoctls.SetDeviceAddr, ref request, hint);
        }
        else
        {
            vgic.SetAttribute(ArmVgic.AddressGroup, region.Attribute, address, hint);
        }
    }

    /// <summary>
    /// Auto: a VGIC device KvmPS created wins; an irqchip from KVM_CREATE_IRQCHIP means the legacy ioctl; with no
    /// irqchip yet, the attribute path when the host offers the device type (VGICv3 always goes that way).
    /// </summary>
    private static ArmDeviceAddressMethod ChooseMethod(KvmVm vm, VgicRegion region)
    {
        if (region.LegacyAddressType is null || ArmVgic.Find(vm, region.Device) is not null)
        {
            return ArmDeviceAddressMethod.DeviceAttribute;
        }
        if (vm.HasIrqchip)
        {
            return ArmVgic.FindAny(vm) is null ? ArmDeviceAddressMethod.Legacy : ArmDeviceAddressMethod.DeviceAttribute;
        }
        return ArmVgic.HostOffers(vm, region.Device) ? ArmDeviceAddressMethod.DeviceAttribute : ArmDeviceAddressMethod.Legacy;
    }

    /// <summary>The attribute path needs this VM's VGIC device of that version; null means "create it now".</summary>
    private static KvmDevice? RequireAttributeOrder(KvmVm vm, ArmDevice device)
    {
        RequireNoVcpuRan(vm);
        if (ArmVgic.Find(vm, device) is { } vgic)
        {
            return vgic;
        }
        if (vm.HasIrqchip)
        {
            throw KvmPSException.InvalidOperation("ArmVgicDeviceMismatch",
                $"VM {vm.Id} already has an in-kernel interrupt controller ({ArmVgic.DescribeIrqchip(vm)}), not a {ArmVgic.KernelName(device)} device: " +
                (ArmVgic.FindAny(vm) is null ? "set VGICv2 addresses with -Method Legacy." : "set the addresses of the VGIC it has."));
        }
        return null;
    }

    /// <summary>api.txt 4.80: "must be called after calling KVM_CREATE_IRQCHIP, but before calling KVM_RUN on any of the VCPUs".</summary>
    private static void RequireLegacyOrder(KvmVm vm)
    {
        if (!vm.HasIrqchip)
        {
            throw KvmPSException.InvalidOperation("ArmIrqchipRequired",
                $"VM {vm.Id} has no in-kernel irqchip yet: KVM_ARM_SET_DEVICE_ADDR must come after KVM_CREATE_IRQCHIP (api.txt 4.80). " +
                "Create the irqchip first, or set the address through the VGIC device's attributes instead.");
        }
        RequireNoVcpuRan(vm);
    }

    private static void RequireNoVcpuRan(KvmVm vm)
    {
        if (vm.HasRunAnyVcpu)
        {
            throw KvmPSException.InvalidOperation("ArmDeviceAddressAfterVcpuRan",
                $"A vCPU of VM {vm.Id} has already run; device addresses must be set before any vCPU runs (api.txt 4.80).");
        }
    }

    /// <summary>vgic_check_iorange(): base and size aligned, no wrap, inside the VM's IPA space (else EINVAL / E2BIG).</summary>
    private static void CheckRange(KvmVm vm, VgicRegion region, ulong address, ulong size)
    {
        if (address % region.Alignment != 0)
        {
            throw KvmPSException.InvalidArgument("ArmDeviceAddressMisaligned",
                $"{region} base 0x{address:X} must be aligned to {region.Alignment / 1024} KiB (the kernel answers EINVAL otherwise).");
        }
        new AddressRange(address, size).ThrowIfWraps("ArmDeviceAddressWraps", $"{region} range");
        int bits = IpaBits(vm);
        ulong limit = bits >= 64 ? ulong.MaxValue : 1UL << bits;
        if (address + size > limit)
        {
            throw KvmPSException.InvalidArgument("ArmDeviceAddressOutsideIpa",
                $"{region} range 0x{address:X}-0x{address + size - 1:X} lies outside VM {vm.Id}'s {bits}-bit guest physical address space (api.txt 4.80: E2BIG).");
        }
    }

    /// <summary>
    /// What an errno means on each path. KVM_ARM_SET_DEVICE_ADDR (kvm_vm_ioctl_set_device_addr): ENXIO is "no VGIC on the
    /// host" (vgic_present) and ENODEV an unknown id or a VGIC model that is not VGICv2 (vgic_check_type). The device
    /// attribute (vgic_set_common_attr) turns kvm_vgic_addr's ENODEV - wrong model or unknown address type - into ENXIO.
    /// </summary>
    internal static string? Hint(int errno, KvmVm vm, VgicRegion? region, ulong address, ArmDeviceAddressMethod method) => errno switch
    {
        Errno.ENODEV when method == ArmDeviceAddressMethod.Legacy =>
            "Unknown device id or address type, or the VM's irqchip is not a VGICv2 (the legacy ioctl knows KVM_ARM_DEVICE_VGIC_V2 only).",
        Errno.ENODEV => $"The VGIC device does not know the address type {region?.KernelName}.",
        Errno.ENXIO when method == ArmDeviceAddressMethod.Legacy => "Not supported on this system: the host's KVM has no VGIC to place.",
        Errno.ENXIO => $"The VGIC device refused {region?.KernelName ?? "the address type"}: the VM's VGIC model is not {region?.Device.ToString() ?? "the one this address belongs to"}, " +
            "or this kernel does not know the address type (kvm_vgic_addr answers ENODEV, which KVM_SET_DEVICE_ATTR reports as ENXIO).",
        Errno.EEXIST => $"Address already set: the {region?.ToString() ?? "device"} base of VM {vm.Id} was set before; each base can be set once.",
        Errno.E2BIG => $"0x{address:X} lies outside VM {vm.Id}'s guest physical address space ({IpaBits(vm)}-bit IPA).",
        Errno.EBUSY => "A vCPU of the VM is running or has run, so the VGIC is configured already.",
        Errno.EINVAL => $"The kernel rejected the base: it must be aligned to {(region?.Alignment ?? 0x1000) / 1024} KiB and the range must not wrap.",
        _ => null,
    };
}
