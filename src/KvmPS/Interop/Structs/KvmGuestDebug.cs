using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

// struct kvm_guest_debug (KVM_SET_GUEST_DEBUG, api.rst 4.59) is generic, but its member arch is declared by each
// architecture's asm/kvm.h. The module fills x86's; the others are declared in GuestDebugStructs so the ioctl's
// size is right everywhere.

/// <summary>x86 kvm_guest_debug_arch: DR0-DR3 are the breakpoint addresses, debugreg[7] is DR7.</summary>
[CStruct("kvm_guest_debug_arch")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmGuestDebugArchX86
{
    public fixed ulong Debugreg[8];
}

/// <summary>x86 struct kvm_guest_debug: KVM_GUESTDBG_* control bits and the debug registers.</summary>
[CStruct("kvm_guest_debug")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmGuestDebugX86
{
    public const uint Enable = 0x1;
    public const uint SingleStep = 0x2;
    public const uint UseSwBp = 0x10000;
    public const uint UseHwBp = 0x20000;

    public uint Control;
    public uint Pad;
    public KvmGuestDebugArchX86 Arch;
}
