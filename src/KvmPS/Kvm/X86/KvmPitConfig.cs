using System.Runtime.InteropServices;

namespace KvmPS.Kvm.X86;

/// <summary>struct kvm_pit_config (checked against the layout by the ABI tests).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmPitConfig
{
    /// <summary>KVM_PIT_SPEAKER_DUMMY.</summary>
    public const uint SpeakerDummy = 1;

    public uint Flags;
    public fixed uint Pad[15];
}
