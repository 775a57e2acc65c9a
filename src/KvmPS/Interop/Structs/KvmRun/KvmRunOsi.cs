using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.osi (KVM_EXIT_OSI): the guest's GPRs, written back on the next KVM_RUN.</summary>
[CStruct("kvm_run.osi")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunOsi
{
    public fixed ulong Gprs[32];
}
