namespace KvmPS.Kvm;

/// <summary>One capability as KVM_CHECK_EXTENSION answered it.</summary>
public sealed record KvmCapabilityInfo(KvmCapability Name, string KernelName, int Number, bool Supported, int Value)
{
    public static KvmCapabilityInfo From(KvmCapability capability, int value) =>
        new(capability, KvmNames.KernelName(capability), (int)capability, value > 0, value);
}
