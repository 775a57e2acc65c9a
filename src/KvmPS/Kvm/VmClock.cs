using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>KVM_GET_CLOCK / KVM_SET_CLOCK (api.txt 4.29, 4.30): the VM's kvmclock, in nanoseconds.</summary>
public static class VmClock
{
    public static KvmClock Get(KvmVm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.AdjustClock, "reading the VM clock (KVM_GET_CLOCK)");
        var data = new KvmClockData();
        vm.Descriptor.Ioctl(KvmVmIoctls.GetClock, ref data);
        var flags = (KvmClockFlags)data.Flags;
        return new KvmClock(vm.Id, data.Clock, flags,
            flags.HasFlag(KvmClockFlags.Realtime) ? data.Realtime : null,
            flags.HasFlag(KvmClockFlags.HostTsc) ? data.HostTsc : null);
    }

    /// <summary>Sets the clock to <paramref name="nanoseconds"/>; flags stay 0, so the kernel does not adjust for elapsed real time.</summary>
    public static void Set(KvmVm vm, ulong nanoseconds)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.AdjustClock, "setting the VM clock (KVM_SET_CLOCK)");
        var data = new KvmClockData { Clock = nanoseconds };
        vm.Descriptor.Ioctl(KvmVmIoctls.SetClock, ref data);
    }
}
