using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>
/// kvm_valid_regs and kvm_dirty_regs, right after the exit union (api.rst 5, KVM_CAP_SYNC_REGS): the register sets
/// KVM copies into kvm_run.s at an exit, and those user space changed there. kvm_run.s follows them.
/// </summary>
[CStruct("kvm_run.sync_control")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunSyncControl
{
    public ulong KvmValidRegs;
    public ulong KvmDirtyRegs;
}
