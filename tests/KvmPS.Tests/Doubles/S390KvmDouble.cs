using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm;

using KvmPS.Interop.Structs;
namespace KvmPS.Tests.Doubles;

/// <summary>
/// s390 KVM in the kernel double: KVM_CAP_S390_UCONTROL and KVM_CAP_S390_GMAP, and on vCPUs
/// KVM_S390_UCAS_MAP/UNMAP as kvm-s390.c + gmap_map_segment() implement them (EINVAL for a non-ucontrol VM,
/// unaligned or empty ranges) and KVM_S390_VCPU_FAULT (EFAULT where nothing is mapped).
/// </summary>
internal sealed class S390KvmDouble
{
    public const ulong Segment = 1UL << 20;

    public S390KvmDouble()
    {
        (Kernel, Kvm) = KvmDouble.Create(CpuArchitecture.S390x);
        Kvm.Capabilities[KvmCapability.S390Ucontrol] = 1;
        Kvm.Capabilities[KvmCapability.S390Gmap] = 1;
        Kvm.VcpuCreated += vcpu => Vcpus.Add(new S390VcpuDouble(vcpu));
    }

    public KernelDouble Kernel { get; }
    public KvmDouble Kvm { get; }
    public List<S390VcpuDouble> Vcpus { get; } = [];
}

internal sealed class S390VcpuDouble
{
    public S390VcpuDouble(VcpuDouble vcpu)
    {
        Vcpu = vcpu;
        IsUserControlled = vcpu.Vm.MachineType == 1;
        vcpu.On(S390Ioctls.UcasMap, Map);
        vcpu.On(S390Ioctls.UcasUnmap, Unmap);
        vcpu.On(S390Ioctls.VcpuFault, Fault);
    }

    public VcpuDouble Vcpu { get; }
    public bool IsUserControlled { get; }

    /// <summary>Segment-table entries: vCPU segment address to host address.</summary>
    public Dictionary<ulong, ulong> Segments { get; } = [];
    public List<ulong> Faulted { get; } = [];
    public int Calls { get; private set; }

    /// <summary>An errno UCAS_MAP answers regardless (e.g. ENOMEM from the segment-table allocation).</summary>
    public int? MapError { get; set; }

    private unsafe long Map(nint argument)
    {
        Calls++;
        KvmS390UcasMapping m = IoctlArgument.As<KvmS390UcasMapping>(argument);
        ulong from = m.UserAddr, to = m.VcpuAddr, length = m.Length;
        if (MapError is int errno) return -errno;
        if (!IsUserControlled) return -Errno.EINVAL;
        if (((from | to | length) & (S390KvmDouble.Segment - 1)) != 0 || length == 0 || from + length < from || to + length < to) return -Errno.EINVAL;
        for (ulong off = 0; off < length; off += S390KvmDouble.Segment) Segments[to + off] = from + off;
        return 0;
    }

    private unsafe long Unmap(nint argument)
    {
        Calls++;
        KvmS390UcasMapping m = IoctlArgument.As<KvmS390UcasMapping>(argument);
        ulong to = m.VcpuAddr, length = m.Length;
        if (!IsUserControlled) return -Errno.EINVAL;
        if (((to | length) & (S390KvmDouble.Segment - 1)) != 0 || length == 0 || to + length < to) return -Errno.EINVAL;
        for (ulong off = 0; off < length; off += S390KvmDouble.Segment) Segments.Remove(to + off);
        return 0;
    }

    private long Fault(nint argument)
    {
        Calls++;
        ulong address = (ulong)argument;
        if (IsUserControlled && !Segments.ContainsKey(address & ~(S390KvmDouble.Segment - 1))) return -Errno.EFAULT;
        Faulted.Add(address);
        return 0;
    }
}
