using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;
using KvmPS.Kvm;

namespace KvmPS.Tests.Doubles;

/// <summary>
/// /dev/kvm in the <see cref="KernelDouble"/>: API version 12, a configurable capability table, VMs and vCPUs with a
/// kvm_run page. Feature tests hook <see cref="VmCreated"/> and <see cref="VcpuCreated"/> to register the documented
/// behaviour of their architecture's ioctls on the new descriptors.
/// </summary>
internal sealed class KvmDouble : DoubleFile
{
    public const string DevicePath = "/dev/kvm";
    public const int RunPageSize = 3 * LinuxConstants.PageSize;

    public KvmDouble(KernelDouble kernel) : base(kernel, DevicePath)
    {
        On(KvmSystemIoctls.GetApiVersion, _ => ApiVersion);
        On(KvmSystemIoctls.CheckExtension, arg => Capabilities.GetValueOrDefault((KvmCapability)(int)arg));
        On(KvmSystemIoctls.GetVcpuMmapSize, _ => RunPageSize);
        On(KvmSystemIoctls.CreateVm, arg =>
        {
            if (CreateVmError is int errno) return -errno;
            var vm = new VmDouble(this, (ulong)arg);
            VmCreated?.Invoke(vm);
            Vms.Add(vm);
            return Kernel.Install(vm);
        });
    }

    /// <summary>A kernel double with /dev/kvm installed, for <paramref name="arch"/> with host pages of <paramref name="pageSize"/> bytes.</summary>
    public static (KernelDouble Kernel, KvmDouble Kvm) Create(CpuArchitecture arch, int pageSize = LinuxConstants.PageSize)
    {
        var kernel = new KernelDouble(arch, pageSize);
        var kvm = new KvmDouble(kernel);
        kernel.AddNode(DevicePath, () => new KvmSystemFile(kvm));
        return (kernel, kvm);
    }

    public int ApiVersion { get; set; } = KvmSystem.SupportedApiVersion;
    public int? CreateVmError { get; set; }

    public Dictionary<KvmCapability, int> Capabilities { get; } = new()
    {
        [KvmCapability.UserMemory] = 1,
        [KvmCapability.NrVcpus] = 4,
        [KvmCapability.MaxVcpus] = 8,
        [KvmCapability.NrMemslots] = 32,
        [KvmCapability.CheckExtensionVm] = 1,
        [KvmCapability.EnableCapVm] = 1,
        [KvmCapability.DeviceCtrl] = 1,
        [KvmCapability.Irqchip] = 1,
        [KvmCapability.ImmediateExit] = 1,
    };

    public List<VmDouble> Vms { get; } = [];
    public event Action<VmDouble>? VmCreated;
    public event Action<VcpuDouble>? VcpuCreated;

    internal void RaiseVcpuCreated(VcpuDouble vcpu) => VcpuCreated?.Invoke(vcpu);

    /// <summary>Each open() of /dev/kvm is its own descriptor forwarding to the shared system state.</summary>
    private sealed class KvmSystemFile(KvmDouble kvm) : DoubleFile(kvm.Kernel, DevicePath)
    {
        public override long Ioctl(uint request, nint argument) => kvm.Ioctl(request, argument);
    }
}

/// <summary>A VM descriptor: memory slots, vCPUs, ENABLE_CAP, CREATE_IRQCHIP and CREATE_DEVICE per api.txt.</summary>
internal sealed class VmDouble : DoubleFile
{
    public VmDouble(KvmDouble kvm, ulong machineType) : base(kvm.Kernel, "kvm-vm")
    {
        Kvm = kvm;
        MachineType = machineType;
        On(KvmSystemIoctls.CheckExtension, arg => kvm.Capabilities.GetValueOrDefault((KvmCapability)(int)arg));
        On(KvmVmIoctls.SetUserMemoryRegion, SetUserMemoryRegion);
        On(KvmVmIoctls.CreateVcpu, arg =>
        {
            int id = (int)arg;
            if (Vcpus.Any(v => v.Id == id)) return -Errno.EEXIST;
            var vcpu = new VcpuDouble(this, id);
            Vcpus.Add(vcpu);
            kvm.RaiseVcpuCreated(vcpu);
            return Kernel.Install(vcpu);
        });
        On(KvmVmIoctls.CreateIrqchip, _ =>
        {
            if (HasIrqchip) return -Errno.EEXIST;
            HasIrqchip = true;
            return 0;
        });
        On(KvmVmIoctls.EnableCap, EnableCap);
        On(KvmVmIoctls.CreateDevice, CreateDevice);
        if (kvm.Kernel.Architecture == CpuArchitecture.X86_64)
        {
            On(KvmVmIoctls.SetTssAddr, _ => 0);
        }
    }

    public KvmDouble Kvm { get; }
    public ulong MachineType { get; }
    public bool HasIrqchip { get; set; }
    public Dictionary<uint, (ulong Gpa, ulong Size, nint Host, uint Flags)> Slots { get; } = [];
    public List<VcpuDouble> Vcpus { get; } = [];
    public List<(uint Cap, ulong[] Args)> EnabledCaps { get; } = [];
    public List<DeviceDouble> Devices { get; } = [];

    /// <summary>Builds the double of a device type for KVM_CREATE_DEVICE; null answers ENODEV.</summary>
    public Func<uint, DeviceDouble?> DeviceFactory { get; set; } = _ => null;

    private unsafe long SetUserMemoryRegion(nint argument)
    {
        KvmUserspaceMemoryRegion region = IoctlArgument.As<KvmUserspaceMemoryRegion>(argument);
        if (region.MemorySize == 0)
        {
            return Slots.Remove(region.Slot) ? 0 : -Errno.EINVAL;
        }
        if ((region.GuestPhysAddr | region.MemorySize) % (ulong)Kernel.Kernel.PageSize != 0) return -Errno.EINVAL;
        if (Slots.Any(s => s.Key != region.Slot && region.GuestPhysAddr < s.Value.Gpa + s.Value.Size && s.Value.Gpa < region.GuestPhysAddr + region.MemorySize))
        {
            return -Errno.EEXIST;
        }
        Slots[region.Slot] = (region.GuestPhysAddr, region.MemorySize, (nint)region.UserspaceAddr, region.Flags);
        return 0;
    }

    private unsafe long EnableCap(nint argument)
    {
        ref KvmEnableCap request = ref IoctlArgument.As<KvmEnableCap>(argument);
        EnabledCaps.Add((request.Cap, [request.Args[0], request.Args[1], request.Args[2], request.Args[3]]));
        return 0;
    }

    private unsafe long CreateDevice(nint argument)
    {
        ref KvmCreateDevice request = ref IoctlArgument.As<KvmCreateDevice>(argument);
        DeviceDouble? device = DeviceFactory(request.Type);
        if (device is null) return -Errno.ENODEV;
        if ((request.Flags & 1) != 0) return 0;   // KVM_CREATE_DEVICE_TEST
        Devices.Add(device);
        request.Fd = (uint)Kernel.Install(device);
        return 0;
    }
}

/// <summary>A vCPU descriptor with a kvm_run page; tests script what KVM_RUN "does" through <see cref="RunHandler"/>.</summary>
internal sealed class VcpuDouble : DoubleFile
{
    public VcpuDouble(VmDouble vm, int id) : base(vm.Kernel, $"kvm-vcpu:{id}")
    {
        Vm = vm;
        Id = id;
        On(KvmVcpuIoctls.Run, _ =>
        {
            if (!_firstRunPassed && FirstRunCheck?.Invoke(this) is int errno and not 0)
            {
                return -errno;
            }
            _firstRunPassed = true;
            RunCount++;
            return RunHandler(this);
        });
    }

    private bool _firstRunPassed;

    public VmDouble Vm { get; }
    public int Id { get; }
    public int RunCount { get; private set; }

    /// <summary>An errno the first KVM_RUN fails with (an architecture's kvm_arch_vcpu_run_pid_change checks), or 0.</summary>
    public Func<VcpuDouble, int>? FirstRunCheck { get; set; }
    public int MmapCount { get; private set; }

    /// <summary>What KVM_RUN does: writes exit_reason and the exit union into <see cref="MappedRun"/>, returns 0 or -errno.</summary>
    public Func<VcpuDouble, long> RunHandler { get; set; } = _ => -Errno.EINVAL;

    public override nint Mmap(nuint length, int protection, long offset)
    {
        if (offset != 0 || length > KvmDouble.RunPageSize) return -Errno.EINVAL;
        MmapCount++;
        nint page = Kernel.AllocatePages(length);
        MappedRun = page;
        return page;
    }

    /// <summary>The kvm_run mapping the module holds (the address its reads see).</summary>
    public nint MappedRun { get; private set; }

    /// <summary>Bytes of the mapping at an offset the kernel hands out, such as io.data_offset.</summary>
    public unsafe Span<byte> RunBytes(ulong offset, int length) => new((byte*)MappedRun + offset, length);

    /// <summary>kvm_run's header, through the struct the module reads it with.</summary>
    internal unsafe ref KvmRunHeader RunHeader => ref *KvmRunOffsets.Header((byte*)MappedRun);

    /// <summary>The exit-union member <typeparamref name="T"/>, at this architecture's union offset as the module finds it.</summary>
    internal unsafe ref T RunExit<T>() where T : unmanaged =>
        ref *KvmRunOffsets.For(Kernel.Architecture).Member<T>((byte*)MappedRun);

    /// <summary>What a KVM_RUN that exits for <paramref name="reason"/> leaves: exit_reason and the union member.</summary>
    internal void Exit<T>(KvmExitReason reason, T member) where T : unmanaged
    {
        RunHeader.ExitReason = (uint)reason;
        RunExit<T>() = member;
    }
}

/// <summary>A KVM_CREATE_DEVICE device; tests register attribute behaviour with <see cref="DoubleFile.On"/>.</summary>
internal class DeviceDouble(KernelDouble kernel, uint type) : DoubleFile(kernel, $"kvm-device:{type}")
{
    public uint Type { get; } = type;
}
