namespace KvmPS.Kvm;

/// <summary>
/// What KVM_TRANSLATE (api.txt 4.15) says of one guest linear address under the vCPU's current paging. x86 KVM fills
/// only physical_address and valid; it reports every address writeable and none user-mode.
/// </summary>
public sealed record GuestAddressTranslation(int VmId, int VcpuId, ulong LinearAddress, ulong PhysicalAddress, bool Valid, bool Writeable, bool UserMode)
{
    public override string ToString() => Valid
        ? $"0x{LinearAddress:X} -> 0x{PhysicalAddress:X}{(Writeable ? " writeable" : "")}{(UserMode ? " user" : "")}"
        : $"0x{LinearAddress:X} -> not mapped";
}
