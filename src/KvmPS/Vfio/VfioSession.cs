using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Vfio;

/// <summary>
/// The VFIO containers a PowerShell session opened. Cmdlets use <see cref="Default"/>; removing the module should call
/// <see cref="ResetDefault"/>, which closes every container with its groups and devices.
/// </summary>
public sealed class VfioSession : IDisposable
{
    private static readonly ProcessWideDefault<VfioSession> s_default = new(() => new VfioSession(KernelInterface.Host));

    private readonly object _gate = new();
    private readonly List<VfioContainer> _containers = [];
    private int _nextId = 1;

    internal VfioSession(KernelInterface kernel, string devicePath = VfioContainer.DefaultDevicePath, string sysfsRoot = VfioIommuGroups.DefaultSysfsRoot)
    {
        Kernel = kernel;
        DevicePath = devicePath;
        SysfsRoot = sysfsRoot;
    }

    public static VfioSession Default => s_default.Value;

    /// <summary>Disposes the default session (module removal); a later use starts a fresh one.</summary>
    public static void ResetDefault() => s_default.Reset();

    internal KernelInterface Kernel { get; }
    public string DevicePath { get; }
    public string SysfsRoot { get; }

    /// <summary>The host's IOMMU groups (sysfs), with the /dev/vfio node each would open.</summary>
    public VfioIommuGroups IommuGroups => new(SysfsRoot, Path.GetDirectoryName(DevicePath) ?? "/dev/vfio");

    public IReadOnlyList<VfioContainer> Containers { get { lock (_gate) { return _containers.ToArray(); } } }

    public VfioContainer OpenContainer()
    {
        lock (_gate)
        {
            VfioContainer container = VfioContainer.Open(Kernel, _nextId, DevicePath, SysfsRoot);
            _nextId++;
            _containers.Add(container);
            return container;
        }
    }

    public VfioContainer GetContainer(int id) => Containers.FirstOrDefault(c => c.Id == id)
        ?? throw new KvmPSException("VfioContainerNotOpen", ErrorKind.ObjectNotFound,
            $"This session has no open VFIO container {id}.");

    public void CloseContainer(VfioContainer container)
    {
        lock (_gate)
        {
            _containers.Remove(container);
        }
        container.Dispose();
    }

    public void Dispose()
    {
        VfioContainer[] containers;
        lock (_gate)
        {
            containers = _containers.ToArray();
            _containers.Clear();
        }
        foreach (VfioContainer container in containers)
        {
            container.Dispose();
        }
    }
}
