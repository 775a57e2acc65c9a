using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.Inventory;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Inventory;

[Cmdlet(VerbsCommon.Get, "KvmIoctl", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmIoctl.md")]
[OutputType(typeof(KvmIoctlInfo))]
public sealed class GetKvmIoctlCommand : KvmCmdlet
{
    [Parameter(Position = 0, HelpMessage = "Ioctl names (KVM_* or VFIO_*) to report; wildcards allowed. All when omitted.")]
    [ArgumentCompleter(typeof(IoctlNameCompleter))]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(HelpMessage = "Report only the ioctls this host's KVM supports.")]
    public SwitchParameter Supported { get; set; }

    [Parameter(HelpMessage = "Report only the ioctls the kernel has removed, with what replaced them.")]
    public SwitchParameter Removed { get; set; }

    protected override void EndProcessing() => TryOrStop(null, () =>
    {
        IReadOnlyList<KvmIoctlInfo> all = KvmIoctlInventory.Describe(HostSystem())
            .Select(row => row with { Cmdlet = IoctlCmdlets.For(row.Name) })
            .ToArray();
        foreach (string name in Name ?? [])
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                continue;
            }
            if (all.FirstOrDefault(row => string.Equals(row.Name, name, StringComparison.OrdinalIgnoreCase)) is not { } known)
            {
                WriteError(ToErrorRecord(KvmPS.Interop.KvmPSException.InvalidArgument("UnknownIoctl",
                    $"'{name}' is not an ioctl of api.txt section 4 or one KvmPS declares."), name));
            }
            else if (known.Removed)
            {
                string section = known.Section == "-" ? "" : $" (api.txt {known.Section})";
                WriteWarning($"{known.Name}{section} has been removed from KVM; use {known.ReplacedBy}.");
            }
        }
        IEnumerable<KvmIoctlInfo> rows = all;
        if (Name is { Length: > 0 })
        {
            WildcardPattern[] patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            rows = rows.Where(row => patterns.Any(p => p.IsMatch(row.Name)));
        }
        if (Supported)
        {
            rows = rows.Where(row => row.SupportedOnHost == true);
        }
        if (Removed)
        {
            rows = rows.Where(row => row.Removed);
        }
        WriteObject(rows, enumerateCollection: true);
    });

    /// <summary>/dev/kvm when it opens; without it the inventory still lists what KvmPS knows, with support unknown.</summary>
    private KvmSystem? HostSystem()
    {
        try
        {
            return Session.System;
        }
        catch (KvmPS.Interop.KvmPSException)
        {
            return null;
        }
    }
}
