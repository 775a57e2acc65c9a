using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.Set, "KvmGsiRouting", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmGsiRouting.md", SupportsShouldProcess = true, DefaultParameterSetName = RoutesSet)]
[OutputType(typeof(KvmVm))]
public sealed class SetKvmGsiRoutingCommand : KvmCmdlet
{
    private const string RoutesSet = "Routes";
    private const string DefaultsSet = "Defaults";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose GSI routing table to replace.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = RoutesSet, HelpMessage = "The whole new table: rows with Gsi, Type (Irqchip or Msi), and Irqchip and Pin, or Address and Data.")]
    [AllowEmptyCollection]
    [NumericRowsTransformation(nameof(GsiRoute.Type))]
    public GsiRoute[] Route { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = DefaultsSet, HelpMessage = "Restore the x86 routing the irqchip starts with (GSIs 0-15 to the PICs and IOAPIC, 16-23 to the IOAPIC).")]
    public SwitchParameter X86Defaults { get; set; }

    [Parameter(HelpMessage = "Write the VM to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        IReadOnlyList<GsiRoute> routes = X86Defaults ? GsiRoute.X86Defaults() : Route;
        if (ShouldProcess(Vm.ToString(), $"Replace the GSI routing table with {routes.Count} route(s) (KVM_SET_GSI_ROUTING)"))
        {
            VmGsiRouting.Set(Vm, routes);
        }
        if (PassThru)
        {
            WriteObject(Vm);
        }
    });
}
