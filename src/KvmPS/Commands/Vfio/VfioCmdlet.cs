using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

/// <summary>Base of the VFIO cmdlets: the session's open VFIO containers.</summary>
public abstract class VfioCmdlet : KvmCmdlet
{
    protected static VfioSession VfioSession => VfioSession.Default;
}
