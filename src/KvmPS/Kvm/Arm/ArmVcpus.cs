using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.Arm;

/// <summary>What an ARM vCPU needs before it can run: KVM_ARM_PREFERRED_TARGET and KVM_ARM_VCPU_INIT (api.txt 4.77-4.78).</summary>
public static class ArmVcpus
{

    /// <summary>The capability each optional feature needs before it may be requested.</summary>
    public static KvmCapability? CapabilityFor(ArmVcpuFeature feature) => feature switch
    {
        ArmVcpuFeature.El1Aarch32 => KvmCapability.ArmEl132bit,
        ArmVcpuFeature.Psci02 => KvmCapability.ArmPsci02,
        ArmVcpuFeature.PmuV3 => KvmCapability.ArmPmuV3,
        ArmVcpuFeature.Sve => KvmCapability.ArmSve,
        ArmVcpuFeature.PtrauthAddress => KvmCapability.ArmPtrauthAddress,
        ArmVcpuFeature.PtrauthGeneric => KvmCapability.ArmPtrauthGeneric,
        _ => null,
    };

    /// <summary>KVM_ARM_PREFERRED_TARGET on the VM: the target (and features) the kernel suggests for this host CPU.</summary>
    public static ArmVcpuTarget GetPreferredTarget(KvmVm vm)
    {
        RequireDefined(vm, ArmIoctls.PreferredTarget);
        var init = new KvmVcpuInit();
        vm.Descriptor.Ioctl(ArmIoctls.PreferredTarget, ref init, errno => errno == Errno.ENODEV
            ? "The kernel has no preferred target for this host CPU (api.txt 4.78: ENODEV)." : null);
        return Describe(vm.Id, null, init);
    }

    /// <summary>How the vCPU was last initialised through KvmPS, or null.</summary>
    public static ArmVcpuTarget? InitializedAs(KvmVcpu vcpu) => vcpu.Architecture.Find<ArmVcpuState>()?.Target;

    /// <summary>
    /// KVM_ARM_VCPU_INIT on the vCPU's thread with the named features; the target defaults to the preferred one.
    /// Each optional feature's capability is checked first, and the two pointer-authentication bits go together.
    /// </summary>
    public static ArmVcpuTarget Initialize(KvmVcpu vcpu, IEnumerable<ArmVcpuFeature>? features = null, uint? target = null)
    {
        KvmVm vm = vcpu.Vm;
        RequireDefined(vm, ArmIoctls.VcpuInit);
        ArmVcpuFeature[] requested = (features ?? []).Distinct().OrderBy(f => f).ToArray();
        foreach (ArmVcpuFeature feature in requested)
        {
            if (!Enum.IsDefined(feature))
            {
                throw KvmPSException.InvalidArgument("ArmVcpuFeatureUnknown", $"Feature bit {(int)feature} is not a KVM_ARM_VCPU_* feature KvmPS knows.");
            }
            if (CapabilityFor(feature) is KvmCapability capability)
            {
                vm.RequireCapability(capability, $"the {KvmNames.KernelName(feature)} vCPU feature");
            }
        }
        if (requested.Contains(ArmVcpuFeature.PtrauthAddress) != requested.Contains(ArmVcpuFeature.PtrauthGeneric))
        {
            throw KvmPSException.InvalidArgument("ArmPtrauthFeaturesTogether",
                "PtrauthAddress and PtrauthGeneric must be requested together or not at all (api.txt 4.82, KVM_ARM_VCPU_INIT).");
        }

        KvmVcpuInit init = Build(target ?? GetPreferredTarget(vm).Target, requested);
        vcpu.OnVcpuThread(handle =>
        {
            KvmVcpuInit request = init;
            return handle.Ioctl(ArmIoctls.VcpuInit, ref request, errno => errno switch
            {
                Errno.EINVAL => $"The kernel refused target {init.Target} ({ArmVcpuTarget.NameOf(init.Target)}) or this feature set: it must be the preferred target, " +
                    "match the other vCPUs of the VM, and not contradict the features of an earlier KVM_ARM_VCPU_INIT of this vCPU.",
                Errno.ENOENT => "A requested feature bit is unknown to this kernel.",
                _ => null,
            });
        });
        ArmVcpuTarget result = Describe(vm.Id, vcpu.Id, init);
        vcpu.Architecture.Get<ArmVcpuState>().Target = result;
        return result;
    }

    private static unsafe KvmVcpuInit Build(uint target, IEnumerable<ArmVcpuFeature> features)
    {
        var init = new KvmVcpuInit { Target = target };
        foreach (ArmVcpuFeature feature in features)
        {
            int bit = (int)feature;
            init.Features[bit / 32] |= 1u << (bit % 32);
        }
        return init;
    }

    private static unsafe ArmVcpuTarget Describe(int vmId, int? vcpuId, KvmVcpuInit init)
    {
        var known = new List<ArmVcpuFeature>();
        var unknown = new List<int>();
        for (int bit = 0; bit < KvmVcpuInit.FeatureWords * 32; bit++)
        {
            if ((init.Features[bit / 32] & (1u << (bit % 32))) != 0)
            {
                if (Enum.IsDefined(typeof(ArmVcpuFeature), bit))
                {
                    known.Add((ArmVcpuFeature)bit);
                }
                else
                {
                    unknown.Add(bit);
                }
            }
        }
        return new ArmVcpuTarget(vmId, vcpuId, init.Target, ArmVcpuTarget.NameOf(init.Target), known, unknown);
    }

    private static void RequireDefined(KvmVm vm, IoctlDefinition ioctl)
    {
        if (!ioctl.IsDefinedOn(vm.Kernel.Architecture))
        {
            throw new IoctlUnavailableException(ioctl.Name, vm.Kernel.Architecture);
        }
    }
}
