namespace KvmPS.Devices;

/// <summary>What a device may ask of the VM it is attached to (implemented by the VM's runner).</summary>
public interface IDeviceHost
{
    /// <summary>True when the VM has an in-kernel interrupt controller, so <see cref="SetIrqLine"/> reaches the guest.</summary>
    bool HasIrqchip { get; }

    /// <summary>KVM_IRQ_LINE on the VM; does nothing without an in-kernel irqchip.</summary>
    void SetIrqLine(uint gsi, bool level);

    /// <summary>Stops the VM (state Stopped); <paramref name="exitStatus"/>, when given, becomes its ExitStatus.</summary>
    void RequestStop(uint? exitStatus);

    /// <summary>The bytes of guest RAM (all memory regions).</summary>
    ulong MemorySize { get; }

    int VcpuCount { get; }
}
