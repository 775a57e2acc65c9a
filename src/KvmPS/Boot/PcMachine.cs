using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;

namespace KvmPS.Boot;

/// <summary>
/// The minimal x86 PC a multiboot test kernel expects: RAM from guest address 0, the in-kernel irqchip (PIC, IOAPIC
/// and a LAPIC per vCPU) and PIT, then the vCPUs. KVM_CREATE_IRQCHIP must come before the first vCPU (api.txt 4.24);
/// with it, every vCPU but the boot vCPU 0 starts in KVM_MP_STATE_UNINITIALIZED and waits for the guest's INIT/SIPI.
/// </summary>
public static class PcMachine
{
    public const ulong DefaultMemory = 256ul << 20;

    /// <summary>The most RAM: one region from 0 that leaves the top GiB below 4 GiB to the LAPIC, IOAPIC and other MMIO.</summary>
    public const ulong MaxMemory = 0xC000_0000;

    /// <summary>The vCPUs a single VM may get from <see cref="AddVcpus"/>; test kernels bring up at most a few.</summary>
    public const int MaxSmp = 255;

    /// <summary>A new VM of the session with RAM from 0 and/or an irqchip and vCPUs; removed again if any step fails.</summary>
    public static KvmVm Create(KvmSession session, ulong machineType, ulong? memory, int? smp) =>
        Create(session, machineType, memory, smp, null, null, null);

    /// <summary>
    /// A VM with, in this order, the identity map address and boot vCPU id (both before any vCPU, api.txt 4.40,
    /// 4.41) and the per-vCPU dirty ring (api.rst 8.29), then <paramref name="smp"/> vCPUs and <paramref name="memory"/>
    /// bytes of RAM from 0 (logging dirty pages when the dirty ring is on).
    /// </summary>
    public static KvmVm Create(KvmSession session, ulong machineType, ulong? memory, int? smp, ulong? identityMapAddress, int? bootCpuId,
        ulong? dirtyRingBytes)
    {
        KvmVm vm = session.CreateVm(machineType);
        try
        {
            if (memory is not null || smp is not null || identityMapAddress is not null || bootCpuId is not null)
            {
                RequireX86(vm);
            }
            if (identityMapAddress is ulong address)
            {
                X86VmSetup.SetIdentityMapAddress(vm, address);
            }
            if (bootCpuId is int bsp)
            {
                X86VmSetup.SetBootCpuId(vm, bsp);
            }
            if (dirtyRingBytes is ulong ring)
            {
                VmDirtyRing.Enable(vm, ring);
            }
            if (smp is int count)
            {
                AddVcpus(vm, count);
            }
            if (memory is ulong size)
            {
                AddRam(vm, size);
            }
            return vm;
        }
        catch
        {
            session.RemoveVm(vm);
            throw;
        }
    }

    public static void RequireX86(KvmVm vm)
    {
        if (vm.Kernel.Architecture != CpuArchitecture.X86_64)
        {
            throw new KvmPSException("PcMachineNeedsX86", ErrorKind.NotImplemented,
                $"A PC machine (RAM from 0, irqchip, multiboot kernels) is x86 only; this host is {vm.Kernel.Architecture.UnameName()}.");
        }
    }

    /// <summary>RAM of <paramref name="size"/> bytes as one memory region from guest address 0.</summary>
    public static GuestMemoryRegion AddRam(KvmVm vm, ulong size)
    {
        ulong page = (ulong)vm.Kernel.PageSize;
        if (size < (1ul << 20) || size > MaxMemory || size % page != 0)
        {
            throw KvmPSException.InvalidArgument("InvalidMemorySize",
                $"Memory of 0x{size:X} bytes must be from 1 MB to 3 GB and a multiple of the {page}-byte page size.");
        }
        if (vm.MemoryRegions.Count > 0)
        {
            throw KvmPSException.InvalidOperation("VmHasMemory", $"{vm} already has memory regions; RAM from address 0 is added to a VM without any.");
        }
        return vm.AddMemoryRegion(0, size, flags: vm.DirtyRingBytes > 0 ? MemoryRegionFlags.LogDirtyPages : MemoryRegionFlags.None);
    }

    /// <summary>The in-kernel irqchip and PIT (x86), then vCPUs 0..count-1.</summary>
    public static void AddVcpus(KvmVm vm, int count)
    {
        if (count < 1 || count > MaxSmp)
        {
            throw KvmPSException.InvalidArgument("InvalidSmp", $"-Smp {count} is out of range: give 1 to {MaxSmp} vCPUs.");
        }
        if (vm.Vcpus.Count > 0)
        {
            throw KvmPSException.InvalidOperation("VmHasVcpus", $"{vm} already has vCPUs; the irqchip must be created before the first vCPU.");
        }
        EnsureIrqchip(vm);
        for (int id = 0; id < count; id++)
        {
            vm.CreateVcpu(id);
        }
    }

    /// <summary>Creates the irqchip and PIT unless the VM has an irqchip already.</summary>
    public static void EnsureIrqchip(KvmVm vm)
    {
        if (!vm.HasIrqchip)
        {
            vm.CreateIrqchip();
            vm.CreatePit2();
        }
    }

    /// <summary>The region at guest address 0, or null.</summary>
    public static GuestMemoryRegion? Ram(KvmVm vm) => vm.MemoryRegions.FirstOrDefault(r => r.GuestAddress == 0);
}
