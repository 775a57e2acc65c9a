using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_arm_device_addr.</summary>
[CStruct("kvm_arm_device_addr")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmArmDeviceAddr
{
    public ulong Id;
    public ulong Addr;
}

/// <summary>struct kvm_vcpu_init.</summary>
[CStruct("kvm_vcpu_init")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmVcpuInit
{
    public const int FeatureWords = 7;

    public uint Target;
    public fixed uint Features[FeatureWords];
}
