namespace KvmPS.Kvm.Arm;

/// <summary>What an arm64 VM remembers: the device addresses set through KvmPS, keyed by kernel address-type name.</summary>
internal sealed class ArmVmState
{
    public Dictionary<string, ArmDeviceAddress> DeviceAddresses { get; } = [];
}
