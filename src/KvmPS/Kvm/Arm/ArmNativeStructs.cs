using System.Runtime.InteropServices;

namespace KvmPS.Kvm.Arm;

/// <summary>struct kvm_arm_device_addr.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KvmArmDeviceAddr
{
    public ulong Id;
    public ulong Addr;
}

/// <summary>struct kvm_vcpu_init.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmVcpuInit
{
    public const int FeatureWords = 7;

    public uint Target;
    public fixed uint Features[FeatureWords];
}
