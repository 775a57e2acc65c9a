using System.Management.Automation;
using KvmPS.Kvm;

namespace KvmPS.Commands;

/// <summary>Remove-Module KvmPS releases every VM, vCPU, mapping, VFIO container and descriptor the session made.</summary>
public sealed class ModuleLifetime : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        KvmSession.ResetDefault();
        KvmPS.Vfio.VfioSession.ResetDefault();
    }
}
