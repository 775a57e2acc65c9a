using KvmPS.Interop;

namespace KvmPS.Kvm;

/// <summary>
/// The VMs a PowerShell session made, with the /dev/kvm descriptor they share. Cmdlets use <see cref="Default"/>;
/// removing the module disposes it, releasing every VM, vCPU, mapping and descriptor.
/// </summary>
public sealed class KvmSession : IDisposable
{
    private static readonly ProcessWideDefault<KvmSession> s_default = new(() => new KvmSession(KernelInterface.Host));

    private readonly object _gate = new();
    private readonly List<KvmVm> _vms = [];
    private KvmSystem? _system;
    private int _nextVmId = 1;

    /// <summary>A session of its own on this host's device node (scripts and hosts; cmdlets share the process-wide one).</summary>
    public KvmSession(string devicePath = KvmSystem.DefaultDevicePath) : this(KernelInterface.Host, devicePath)
    {
    }

    internal KvmSession(KernelInterface kernel, string devicePath = KvmSystem.DefaultDevicePath)
    {
        Kernel = kernel;
        DevicePath = devicePath;
    }

    /// <summary>The process-wide session the cmdlets share (host libc, /dev/kvm).</summary>
    public static KvmSession Default => s_default.Value;

    /// <summary>Disposes the default session (module removal); a later use starts a fresh one.</summary>
    public static void ResetDefault() => s_default.Reset();

    internal KernelInterface Kernel { get; }
    public string DevicePath { get; }

    /// <summary>The open /dev/kvm, opened on first use.</summary>
    public KvmSystem System
    {
        get
        {
            lock (_gate)
            {
                return _system ??= KvmSystem.Open(Kernel, DevicePath);
            }
        }
    }

    public IReadOnlyList<KvmVm> Vms { get { lock (_gate) { return _vms.ToArray(); } } }

    public KvmVm CreateVm(ulong machineType = 0, Func<int, string?>? hintFor = null)
    {
        KvmSystem system = System;
        lock (_gate)
        {
            KvmVm vm = KvmVm.Create(system, _nextVmId, machineType, hintFor);
            _nextVmId++;
            _vms.Add(vm);
            return vm;
        }
    }

    public KvmVm GetVm(int id) => Vms.FirstOrDefault(v => v.Id == id)
        ?? throw new KvmPSException("VmNotFound", ErrorKind.ObjectNotFound, $"This session has no VM {id}.");

    public void RemoveVm(KvmVm vm)
    {
        lock (_gate)
        {
            _vms.Remove(vm);
        }
        vm.Dispose();
    }

    public void Dispose()
    {
        KvmVm[] vms;
        lock (_gate)
        {
            vms = _vms.ToArray();
            _vms.Clear();
        }
        foreach (KvmVm vm in vms)
        {
            vm.Dispose();
        }
        lock (_gate)
        {
            _system?.Dispose();
            _system = null;
        }
    }
}
