using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>KVM_SIGNAL_MSI (api.txt 4.71): an MSI written straight into the VM's in-kernel interrupt controller.</summary>
public static class VmMsi
{
    /// <summary>On x86 the address is the LAPIC's (0xfee00000 | destination APIC id &lt;&lt; 12) and data holds the vector.</summary>
    public static MsiResult Signal(KvmVm vm, ulong address, uint data)
    {
        ArgumentNullException.ThrowIfNull(vm);
        vm.RequireCapability(KvmCapability.SignalMsi, "signalling MSIs (KVM_SIGNAL_MSI)");
        vm.RequireIrqchip("KVM_SIGNAL_MSI");
        var msi = new KvmMsi { AddressLo = (uint)address, AddressHi = (uint)(address >> 32), Data = data };
        long status = vm.Descriptor.Ioctl(KvmVmIoctls.SignalMsi, ref msi);
        return new MsiResult(vm.Id, address, data, (int)status);
    }
}
