using System.Management.Automation;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.Remove, "KvmSpaprTce", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveKvmSpaprTceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The TCE tables to remove; the kernel frees them and their LIOBNs become free.")]
    public SpaprTceTable[] Table { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (SpaprTceTable table in Table)
        {
            Try(table, () =>
            {
                if (ShouldProcess(table.ToString(), "Remove"))
                {
                    table.Dispose();
                }
            });
        }
    }
}
