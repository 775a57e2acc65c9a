namespace KvmPS.Kvm.Inventory;

/// <summary>
/// One ioctl of section 4 of the kernel's KVM API document (Documentation/virtual/kvm/api.txt, numbered as in Linux
/// 4.19): its section, the descriptor types its "Type:" line names, its "Capability:" line, and for an ioctl the
/// kernel has removed, what replaced it.
/// </summary>
internal sealed record ApiSectionEntry(string Section, string Name, string Type, string Capability, string? ReplacedBy = null)
{
    public bool IsRemoved => ReplacedBy is not null;
}
