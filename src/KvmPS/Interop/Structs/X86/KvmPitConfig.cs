using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_pit_config.</summary>
[CStruct("kvm_pit_config")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmPitConfig
{
    /// <summary>KVM_PIT_SPEAKER_DUMMY.</summary>
    public const uint SpeakerDummy = 1;

    public uint Flags;
    public fixed uint Pad[15];
}
