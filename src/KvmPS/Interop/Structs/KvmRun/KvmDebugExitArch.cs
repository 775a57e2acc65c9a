using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

// struct kvm_debug_exit_arch (kvm_run.debug.arch, KVM_EXIT_DEBUG) is declared by each architecture's asm/kvm.h,
// differently on each: one C# struct per architecture, all named after the one kernel struct.

/// <summary>x86 kvm_debug_exit_arch: the exception vector (#DB 1, #BP 3), the guest rip and DR6/DR7.</summary>
[CStruct("kvm_debug_exit_arch")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmDebugExitArchX86
{
    public uint Exception;
    public uint Pad;
    public ulong Pc;
    public ulong Dr6;
    public ulong Dr7;
}

/// <summary>arm64 kvm_debug_exit_arch: ESR_EL2 split in two words, and FAR for a watchpoint.</summary>
[CStruct("kvm_debug_exit_arch")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmDebugExitArchArm64
{
    public uint Hsr;
    public uint HsrHigh;
    public ulong Far;
}

/// <summary>powerpc kvm_debug_exit_arch: the address and KVMPPC_DEBUG_* status bits.</summary>
[CStruct("kvm_debug_exit_arch")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmDebugExitArchPpc
{
    public ulong Address;
    public uint Status;
    public uint Reserved;
}

/// <summary>s390 kvm_debug_exit_arch: the address and KVM_HW_* type.</summary>
[CStruct("kvm_debug_exit_arch")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmDebugExitArchS390
{
    public ulong Addr;
    public byte Type;
    public fixed byte Pad[7];
}
