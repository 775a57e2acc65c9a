using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>The members of struct kvm_run before the exit union (api.rst section 5): the in/out words every exit shares.</summary>
[CStruct("kvm_run.header")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunHeader
{
    public byte RequestInterruptWindow;
    /// <summary>Set before KVM_RUN, it makes the run return EINTR at once (after completing a pending I/O or MMIO read).</summary>
    public byte ImmediateExit;
    public fixed byte Padding1[6];
    public uint ExitReason;
    public byte ReadyForInterruptInjection;
    public byte IfFlag;
    public ushort Flags;
    public ulong Cr8;
    public ulong ApicBase;
}
