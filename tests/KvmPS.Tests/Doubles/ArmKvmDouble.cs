using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm;

using KvmPS.Interop.Structs;
namespace KvmPS.Tests.Doubles;

/// <summary>
/// arm64 KVM in the kernel double: KVM_ARM_SET_DEVICE_ADDR as arch/arm64/kvm/arm.c and vgic-kvm-device.c implement it
/// (device-id dispatch, vgic_check_type, vgic_check_iorange), the VGICv2/v3 devices with their GRP_ADDR attributes,
/// KVM_ARM_PREFERRED_TARGET, KVM_ARM_VCPU_INIT and KVM_GET_REG_LIST's two-call protocol.
/// </summary>
internal sealed class ArmKvmDouble
{
    public const uint GenericV8Target = 5;
    public const uint VgicV2Type = 5;
    public const uint VgicV3Type = 7;

    public ArmKvmDouble()
    {
        (Kernel, Kvm) = KvmDouble.Create(CpuArchitecture.Aarch64);
        Kvm.Capabilities[KvmCapability.ArmSetDeviceAddr] = 1;
        Kvm.Capabilities[KvmCapability.OneReg] = 1;
        Kvm.Capabilities[KvmCapability.ArmPsci02] = 1;
        Kvm.Capabilities[KvmCapability.ArmPmuV3] = 1;
        Kvm.Capabilities[KvmCapability.ArmEl132bit] = 1;
        Kvm.VmCreated += vm => Vms.Add(new ArmVmDouble(this, vm));
        Kvm.VcpuCreated += vcpu => Vcpus.Add(new ArmVcpuDouble(this, vcpu));
    }

    public KernelDouble Kernel { get; }
    public KvmDouble Kvm { get; }
    public List<ArmVmDouble> Vms { get; } = [];
    public List<ArmVcpuDouble> Vcpus { get; } = [];

    /// <summary>vgic_present: false makes the legacy ioctl answer ENXIO.</summary>
    public bool VgicPresent { get; set; } = true;

    /// <summary>Device types KVM_CREATE_DEVICE accepts (kvm_register_device_ops of the host's GIC).</summary>
    public HashSet<uint> OfferedDevices { get; } = [VgicV2Type, VgicV3Type];

    public int? PreferredTargetError { get; set; }

    /// <summary>The ONE_REG ids every vCPU lists once initialised.</summary>
    public List<ulong> RegisterIds { get; } =
    [
        0x6030_0000_0010_0000, // x0
        0x6030_0000_0010_0040, // pc
        0x6040_0000_0010_0054, // v0
        0x6030_0000_0013_DF1A, // S3_3_C14_C3_2 (KVM_REG_ARM_TIMER_CNT's odd encoding)
        0x6030_0000_0014_0000, // PSCI_VERSION
    ];
}

/// <summary>The arm64 side of one VM: the VGIC model and its base addresses.</summary>
internal sealed class ArmVmDouble
{
    private const ulong Undefined = ulong.MaxValue;

    public ArmVmDouble(ArmKvmDouble arm, VmDouble vm)
    {
        Arm = arm;
        Vm = vm;
        vm.On(ArmIoctls.SetDeviceAddr, SetDeviceAddr);
        vm.On(ArmIoctls.PreferredTarget, PreferredTarget);
        vm.DeviceFactory = type =>
        {
            if (!arm.OfferedDevices.Contains(type)) return null;
            return new VgicDeviceDouble(this, type);
        };
    }

    public ArmKvmDouble Arm { get; }
    public VmDouble Vm { get; }
    public Dictionary<ulong, ulong> Bases { get; } = [];
    public int SetDeviceAddrCalls { get; private set; }
    public (ulong Id, ulong Addr)? LastDeviceAddr { get; private set; }

    /// <summary>Makes the kernel's IPA smaller than the VM type says, to reach its own E2BIG.</summary>
    public int? IpaBitsOverride { get; set; }
    public int SetAttrCalls { get; internal set; }

    /// <summary>kvm->arch.vgic.vgic_model: KVM_CREATE_IRQCHIP makes a VGICv2, the device its own type.</summary>
    public uint Model => Vm.Devices.OfType<VgicDeviceDouble>().FirstOrDefault()?.Type ?? (Vm.HasIrqchip ? ArmKvmDouble.VgicV2Type : 0);

    /// <summary>IPA bits from the VM type (0: 40).</summary>
    public int IpaBits => IpaBitsOverride ?? ((Vm.MachineType & 0xff) is var b and > 0 ? (int)b : 40);

    private unsafe long SetDeviceAddr(nint argument)
    {
        SetDeviceAddrCalls++;
        KvmArmDeviceAddr request = IoctlArgument.As<KvmArmDeviceAddr>(argument);
        ulong id = request.Id, addr = request.Addr;
        LastDeviceAddr = (id, addr);
        if (((id >> 16) & 0xffff) != 0) return -Errno.ENODEV;
        if (!Arm.VgicPresent) return -Errno.ENXIO;
        return (id & 0xffff) switch
        {
            0 => Assign(ArmKvmDouble.VgicV2Type, 0, addr, 0x1000, 0x1000),
            1 => Assign(ArmKvmDouble.VgicV2Type, 1, addr, 0x1000, 0x2000),
            _ => -Errno.ENODEV,
        };
    }

    /// <summary>
    /// vgic_check_type (ENODEV) then vgic_check_iorange (EEXIST, EINVAL, E2BIG). Overlapping frames are not checked here:
    /// the kernel accepts them and the first KVM_RUN fails (<see cref="CheckBasesOnFirstRun"/>).
    /// </summary>
    internal long Assign(uint modelNeeded, ulong kind, ulong addr, ulong alignment, ulong size)
    {
        if (Model != modelNeeded) return -Errno.ENODEV;
        if (Bases.ContainsKey(kind)) return -Errno.EEXIST;
        if (addr % alignment != 0 || size % alignment != 0) return -Errno.EINVAL;
        if (addr + size < addr) return -Errno.EINVAL;
        if (addr + size > 1UL << IpaBits) return -Errno.E2BIG;
        Bases[kind] = addr;
        return 0;
    }

    /// <summary>
    /// kvm_vgic_map_resources on the first KVM_RUN: vgic_v2_check_base / vgic_v3_check_base refuse overlapping frames,
    /// and the run fails with EINVAL; 0 when the frames are fine.
    /// </summary>
    internal int CheckBasesOnFirstRun()
    {
        var bases = Bases.ToArray();
        for (int i = 0; i < bases.Length; i++)
        {
            for (int j = i + 1; j < bases.Length; j++)
            {
                (ulong a, ulong b) = (bases[i].Value, bases[j].Value);
                if (a < b + SizeOf(bases[j].Key) && b < a + SizeOf(bases[i].Key)) return Errno.EINVAL;
            }
        }
        return 0;
    }

    private static ulong SizeOf(ulong kind) => kind switch { 0 => 0x1000, 1 => 0x2000, 2 => 0x10000, _ => 0x20000 };

    private unsafe long PreferredTarget(nint argument)
    {
        if (Arm.PreferredTargetError is int errno) return -errno;
        ref KvmVcpuInit init = ref IoctlArgument.As<KvmVcpuInit>(argument);
        init = default;
        init.Target = ArmKvmDouble.GenericV8Target;
        init.Features[0] = 1u << 2; // KVM_ARM_VCPU_PSCI_0_2
        return 0;
    }
}

/// <summary>A VGIC device: KVM_SET/HAS_DEVICE_ATTR of group KVM_DEV_ARM_VGIC_GRP_ADDR.</summary>
internal sealed class VgicDeviceDouble : DeviceDouble
{
    public VgicDeviceDouble(ArmVmDouble vm, uint type) : base(vm.Vm.Kernel, type)
    {
        Vm = vm;
        vm.Vm.HasIrqchip = true;
        On(KvmDeviceIoctls.SetDeviceAttr, SetAttr);
        On(KvmDeviceIoctls.HasDeviceAttr, HasAttr);
    }

    public ArmVmDouble Vm { get; }
    public List<(uint Group, ulong Attr, ulong Value)> Writes { get; } = [];

    private unsafe long SetAttr(nint argument)
    {
        Vm.SetAttrCalls++;
        KvmDeviceAttr attr = IoctlArgument.As<KvmDeviceAttr>(argument);
        if (attr.Group != 0) return -Errno.ENXIO;
        ulong value = *(ulong*)attr.Addr;
        Writes.Add((attr.Group, attr.Attr, value));
        long result = attr.Attr switch   // kvm_vgic_addr
        {
            0 => Vm.Assign(ArmKvmDouble.VgicV2Type, 0, value, 0x1000, 0x1000),
            1 => Vm.Assign(ArmKvmDouble.VgicV2Type, 1, value, 0x1000, 0x2000),
            2 => Vm.Assign(ArmKvmDouble.VgicV3Type, 2, value, 0x10000, 0x10000),
            3 => Vm.Assign(ArmKvmDouble.VgicV3Type, 3, value, 0x10000, 0x20000),
            _ => -Errno.ENODEV,
        };
        // vgic_set_common_attr: "return (r == -ENODEV) ? -ENXIO : r;" for KVM_DEV_ARM_VGIC_GRP_ADDR.
        return result == -Errno.ENODEV ? -Errno.ENXIO : result;
    }

    private unsafe long HasAttr(nint argument)
    {
        KvmDeviceAttr attr = IoctlArgument.As<KvmDeviceAttr>(argument);
        return attr.Group == 0 && attr.Attr <= 3 ? 0 : -Errno.ENXIO;
    }
}

/// <summary>The arm64 side of one vCPU: KVM_ARM_VCPU_INIT and KVM_GET_REG_LIST.</summary>
internal sealed class ArmVcpuDouble
{
    public ArmVcpuDouble(ArmKvmDouble arm, VcpuDouble vcpu)
    {
        Arm = arm;
        Vcpu = vcpu;
        vcpu.On(ArmIoctls.VcpuInit, Init);
        vcpu.On(ArmIoctls.GetRegList, GetRegList);
        vcpu.On(KvmVcpuIoctls.GetOneReg, GetOneReg);
        vcpu.On(KvmVcpuIoctls.SetOneReg, SetOneReg);
        vcpu.FirstRunCheck = _ => arm.Vms.FirstOrDefault(v => v.Vm == vcpu.Vm)?.CheckBasesOnFirstRun() ?? 0;
    }

    public ArmKvmDouble Arm { get; }
    public VcpuDouble Vcpu { get; }
    public uint? InitTarget { get; private set; }
    public uint[] InitFeatures { get; private set; } = [];
    public List<ulong> RegListCountsSeen { get; } = [];

    /// <summary>The registers KVM_SET_ONE_REG wrote, by id; GET_ONE_REG of an unwritten core register reads zeros.</summary>
    public Dictionary<ulong, byte[]> OneRegs { get; } = [];

    /// <summary>Grows the list once after the first call, to exercise the module's retry.</summary>
    public int GrowAfterFirstCall { get; set; }

    private unsafe long Init(nint argument)
    {
        ref KvmVcpuInit init = ref IoctlArgument.As<KvmVcpuInit>(argument);
        if (init.Target != ArmKvmDouble.GenericV8Target) return -Errno.EINVAL;
        if ((init.Features[0] & ~0x7fu) != 0) return -Errno.ENOENT;
        for (int i = 1; i < KvmVcpuInit.FeatureWords; i++) if (init.Features[i] != 0) return -Errno.ENOENT;
        bool address = (init.Features[0] & (1u << 5)) != 0, generic = (init.Features[0] & (1u << 6)) != 0;
        if (address != generic) return -Errno.EINVAL;
        InitTarget = init.Target;
        InitFeatures = new uint[KvmVcpuInit.FeatureWords];
        for (int i = 0; i < KvmVcpuInit.FeatureWords; i++) InitFeatures[i] = init.Features[i];
        return 0;
    }

    /// <summary>kvm_arm_get_reg / kvm_arm_set_reg: ENOEXEC before KVM_ARM_VCPU_INIT, ENOENT for ids outside the core group.</summary>
    private unsafe long GetOneReg(nint argument) => TransferOneReg(argument, write: false);

    private unsafe long SetOneReg(nint argument) => TransferOneReg(argument, write: true);

    private unsafe long TransferOneReg(nint argument, bool write)
    {
        if (InitTarget is null) return -Errno.ENOEXEC;
        KvmOneReg request = IoctlArgument.As<KvmOneReg>(argument);
        const ulong CoreGroup = 0x6000_0000_0010_0000, GroupMask = 0xff0f_0000_ffff_0000;   // arch and coproc, size bits aside
        if ((request.Id & GroupMask) != CoreGroup) return -Errno.ENOENT;
        int size = 1 << (int)((request.Id >> 52) & 0xf);
        var bytes = new Span<byte>((void*)request.Addr, size);
        if (write)
        {
            OneRegs[request.Id] = bytes.ToArray();
        }
        else
        {
            (OneRegs.TryGetValue(request.Id, out byte[]? value) ? value : new byte[size]).CopyTo(bytes);
        }
        return 0;
    }

    private unsafe long GetRegList(nint argument)
    {
        if (InitTarget is null) return -Errno.ENOEXEC;
        ulong* list = (ulong*)argument;
        ulong n = list[0];
        RegListCountsSeen.Add(n);
        if (RegListCountsSeen.Count == 2 && GrowAfterFirstCall > 0)
        {
            for (int i = 0; i < GrowAfterFirstCall; i++) Arm.RegisterIds.Add(0x6030_0000_0013_C000 + (ulong)i);
        }
        list[0] = (ulong)Arm.RegisterIds.Count;
        if (n < (ulong)Arm.RegisterIds.Count) return -Errno.E2BIG;
        for (int i = 0; i < Arm.RegisterIds.Count; i++) list[1 + i] = Arm.RegisterIds[i];
        return 0;
    }
}
