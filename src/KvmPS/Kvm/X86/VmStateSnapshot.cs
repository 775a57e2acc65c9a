using KvmPS.Interop;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace KvmPS.Kvm.X86;

/// <summary>Captures and restores a <see cref="VmState"/>, and reads and writes it as a JSON file.</summary>
public static class VmStateSnapshot
{
    private static readonly JsonSerializerSettings s_jsonRead = new()
    {
        ObjectCreationHandling = ObjectCreationHandling.Replace,
        MissingMemberHandling = MissingMemberHandling.Ignore,
        ContractResolver = new RawOnlyResolver(),
    };

    public static VmState Capture(KvmVm vm)
    {
        RequireX86(vm);
        return new VmState
        {
            Irqchip = vm.HasIrqchip ? VmIrqchip.GetAll(vm).ToList() : null,
            Pit = vm.HasPit && vm.CheckExtension(KvmCapability.PitState2) > 0 ? VmPit.Get(vm) : null,
            Clock = vm.CheckExtension(KvmCapability.AdjustClock) > 0 ? VmClock.Get(vm) : null,
        };
    }

    /// <summary>
    /// Restores the irqchip, then the PIT (which raises IRQ 0 through it), then the clock. The target VM must
    /// already have the irqchip and PIT the state holds (both are created before vCPUs).
    /// </summary>
    public static void Restore(KvmVm vm, VmState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        RequireX86(vm);
        Check(state);
        if (state.Irqchip is { Count: > 0 } && !vm.HasIrqchip)
        {
            throw new KvmPSException("VmStateNeedsIrqchip", ErrorKind.InvalidOperation,
                $"The state holds an in-kernel irqchip, but {vm} has none to restore it into.",
                recommendedAction: "Create the in-kernel irqchip (KVM_CREATE_IRQCHIP) before the vCPUs, as the saved VM had.");
        }
        if (state.Pit is not null && !vm.HasPit)
        {
            throw new KvmPSException("VmStateNeedsPit", ErrorKind.InvalidOperation,
                $"The state holds an in-kernel PIT, but {vm} has none to restore it into.",
                recommendedAction: "Create the in-kernel PIT (KVM_CREATE_PIT2) after the irqchip, as the saved VM had.");
        }
        foreach (IrqchipState chip in state.Irqchip ?? [])
        {
            VmIrqchip.Set(vm, chip);
        }
        if (state.Pit is not null)
        {
            VmPit.Set(vm, state.Pit);
        }
        if (state.Clock is not null)
        {
            VmClock.Set(vm, state.Clock.Clock);
        }
    }

    public static void Export(KvmVm vm, string path) => Write(Capture(vm), path);

    public static void Import(KvmVm vm, string path) => Restore(vm, Read(path));

    public static void Write(VmState state, string path) => StateFile.Write(state, path);

    public static VmState Read(string path) =>
        Check(StateFile.Read<VmState>(path, "VM state", "VmStateFileNotFound", "InvalidVmStateFile", s_jsonRead), path);

    private static VmState Check(VmState state, string? path = null)
    {
        string source = path is null ? "The state" : $"'{path}'";
        if (state.Format != VmState.CurrentFormat)
        {
            throw new KvmPSException("InvalidVmStateFile", ErrorKind.InvalidArgument,
                $"{source} has format '{state.Format}'; this KvmPS reads '{VmState.CurrentFormat}'.");
        }
        if (state.Architecture != CpuArchitecture.X86_64)
        {
            throw new KvmPSException("InvalidVmStateFile", ErrorKind.InvalidArgument,
                $"{source} is the state of a {state.Architecture} VM; only x86_64 VM state is restored.");
        }
        if (state.Irqchip is not null && state.Irqchip.Select(c => c.Chip).Distinct().Count() != state.Irqchip.Count)
        {
            throw new KvmPSException("InvalidVmStateFile", ErrorKind.InvalidArgument, $"{source} holds a chip of the irqchip twice.");
        }
        return state;
    }

    private static void RequireX86(KvmVm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        if (vm.Kernel.Architecture != CpuArchitecture.X86_64)
        {
            throw new KvmPSException("VmStateNeedsX86", ErrorKind.NotImplemented,
                $"VM state save and restore is x86 only; this host is {vm.Kernel.Architecture.UnameName()}.");
        }
    }

    /// <summary>
    /// Reads the file's Raw bytes and skips the decoded views written beside them for people (Pic, Ioapic, Channels),
    /// which have no constructor to read into: Raw is the state.
    /// </summary>
    private sealed class RawOnlyResolver : DefaultContractResolver
    {
        private static readonly Type[] s_views = [typeof(PicState), typeof(IoapicState), typeof(IReadOnlyList<PitChannelState>)];

        protected override JsonProperty CreateProperty(MemberInfo member, MemberSerialization memberSerialization)
        {
            JsonProperty property = base.CreateProperty(member, memberSerialization);
            if (property.PropertyType is Type type && s_views.Contains(type))
            {
                property.Ignored = true;
            }
            return property;
        }
    }
}
