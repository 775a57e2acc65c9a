using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.Arm;

/// <summary>The VGIC as a KVM_CREATE_DEVICE device (Documentation/virt/kvm/devices/arm-vgic*.rst).</summary>
public static class ArmVgic
{
    /// <summary>KVM_DEV_TYPE_ARM_VGIC_V2 in enum kvm_device_type.</summary>
    public const uint DeviceTypeV2 = 5;

    /// <summary>KVM_DEV_TYPE_ARM_VGIC_V3.</summary>
    public const uint DeviceTypeV3 = 7;

    /// <summary>KVM_DEV_ARM_VGIC_GRP_ADDR: the attribute group holding the base addresses.</summary>
    public const uint AddressGroup = 0;

    /// <summary>KVM_CREATE_DEVICE_TEST: only ask whether the device type could be created.</summary>
    public const uint CreateDeviceTestFlag = 1;

    public static uint DeviceType(ArmDevice device) => device == ArmDevice.VgicV2 ? DeviceTypeV2 : DeviceTypeV3;

    public static string KernelName(ArmDevice device) => device == ArmDevice.VgicV2 ? "KVM_DEV_TYPE_ARM_VGIC_V2" : "KVM_DEV_TYPE_ARM_VGIC_V3";

    /// <summary>The VGIC device of this version that KvmPS created for the VM, if any.</summary>
    public static KvmDevice? Find(KvmVm vm, ArmDevice device) =>
        vm.Dependents<KvmDevice>().FirstOrDefault(d => d.Type == DeviceType(device));

    /// <summary>Any VGIC device of the VM, whichever version.</summary>
    public static KvmDevice? FindAny(KvmVm vm) => Find(vm, ArmDevice.VgicV2) ?? Find(vm, ArmDevice.VgicV3);

    /// <summary>KVM_CREATE_DEVICE with KVM_CREATE_DEVICE_TEST: whether the host could create this VGIC, without creating it.</summary>
    public static unsafe bool HostOffers(KvmVm vm, ArmDevice device)
    {
        if (vm.CheckExtension(KvmCapability.DeviceCtrl) <= 0)
        {
            return false;
        }
        var request = new KvmCreateDevice { Type = DeviceType(device), Flags = CreateDeviceTestFlag };
        return vm.Descriptor.TryIoctl(KvmVmIoctls.CreateDevice, (nint)(&request)) == 0;
    }

    /// <summary>
    /// Creates the VGIC device (the attribute-API replacement of KVM_CREATE_IRQCHIP). The kernel refuses a second
    /// in-kernel irqchip (EEXIST) and creation once a vCPU has run (EBUSY); both are checked first.
    /// </summary>
    public static KvmDevice Create(KvmVm vm, ArmDevice device)
    {
        if (vm.HasRunAnyVcpu)
        {
            throw KvmPSException.InvalidOperation("ArmVgicAfterVcpuRan",
                $"A vCPU of VM {vm.Id} has already run; the VGIC must be created before any vCPU runs.");
        }
        if (vm.HasIrqchip)
        {
            throw new KvmPSException("ArmIrqchipExists", ErrorKind.ResourceExists,
                $"VM {vm.Id} already has an in-kernel interrupt controller ({DescribeIrqchip(vm)}); a VM has at most one.");
        }
        string name = KernelName(device);
        vm.RequireCapability(KvmCapability.DeviceCtrl, "KVM_CREATE_DEVICE (the VGIC device)");
        if (!HostOffers(vm, device))
        {
            throw new KvmPSException($"{name}.NotSupported", ErrorKind.NotImplemented,
                $"This host does not support the {device} device: KVM_CREATE_DEVICE with KVM_CREATE_DEVICE_TEST refused {name} on this " +
                $"{vm.Kernel.Architecture.UnameName()} host. Run it on an arm64 host whose GIC KVM can emulate.");
        }
        return vm.CreateDevice(DeviceType(device), name, isInterruptController: true, errno => errno switch
        {
            Errno.ENODEV => $"This host cannot emulate a {device} for guests ({name} is not available; GICv2 emulation needs a GICv2-compatible host GIC).",
            Errno.EEXIST => $"VM {vm.Id} already has an in-kernel interrupt controller.",
            Errno.EBUSY => "A vCPU has already run, or another thread holds a vCPU; create the VGIC before running vCPUs.",
            _ => null,
        });
    }

    internal static string DescribeIrqchip(KvmVm vm) => FindAny(vm) is { } existing
        ? $"a {existing.TypeName} device"
        : "created with KVM_CREATE_IRQCHIP";
}
