using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm.X86;

/// <summary>KVM_GET_PIT2 / KVM_SET_PIT2 (api.txt 4.72, 4.73): the state of the in-kernel i8254 that KVM_CREATE_PIT2 made.</summary>
public static class VmPit
{
    public static PitState Get(KvmVm vm)
    {
        Require(vm, "KVM_GET_PIT2");
        byte[] buffer = new byte[X86Structs.PitState2.SizeOn(vm.Kernel.Architecture)];
        vm.Descriptor.Ioctl(KvmVmIoctls.GetPit2, buffer, Hint);
        return new PitState(buffer);
    }

    /// <summary>
    /// Writes the three counters and the flags; the kernel reloads each count as if the guest had programmed it
    /// now (count_load_time is not taken from the state).
    /// </summary>
    public static void Set(KvmVm vm, PitState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Require(vm, "KVM_SET_PIT2");
        byte[] buffer = (byte[])state.Raw.Clone();
        vm.Descriptor.Ioctl(KvmVmIoctls.SetPit2, buffer, Hint);
    }

    private static void Require(KvmVm vm, string ioctl)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.PitState2, $"the in-kernel PIT's state ({ioctl})");
        if (!vm.HasPit)
        {
            throw new KvmPSException("NoPit", ErrorKind.InvalidOperation,
                $"VM {vm.Id} has no in-kernel PIT, so {ioctl} has nothing to act on.",
                recommendedAction: "Create the in-kernel PIT first (KVM_CREATE_PIT2), after the irqchip.");
        }
    }

    private static string? Hint(int errno) => errno == Errno.ENXIO ? "The VM has no in-kernel PIT (KVM_CREATE_PIT2)." : null;
}
