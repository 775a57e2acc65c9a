using System.Collections;
using KvmPS.Interop.Abi;
using KvmPS.Kvm.Inventory;

namespace KvmPS.PowerShell;

/// <summary>The ioctl names Get-KvmIoctl knows: api.txt section 4 (removed ones included) and those KvmPS declares.</summary>
internal sealed class IoctlNameCompleter : CandidateCompleter
{
    protected override IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters) =>
        ApiSections.All.Select(e => (e.Name, e.IsRemoved ? $"api.txt {e.Section}, removed: {e.ReplacedBy}" : $"api.txt {e.Section}, {e.Type}"))
            .Concat(AbiCatalog.Ioctls.Select(i => (i.Name, "declared by KvmPS")));
}
