using KvmPS.Kvm;

namespace KvmPS.Tests;

/// <summary>A VM with 64 KiB of RAM from 0, <c>code</c> at 0x1000 and one real-mode vCPU with flat segments starting there.</summary>
internal static class RealModeGuest
{
    public static KvmVcpu Create(KvmSession session, byte[] code)
    {
        KvmVm vm = session.CreateVm();
        vm.AddMemoryRegion(0, 0x10000);
        vm.WriteGuestMemory(EmbeddedGuest.LoadAddress, code);
        KvmVcpu vcpu = vm.CreateVcpu();
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(EmbeddedGuest.LoadAddress));
        return vcpu;
    }
}
