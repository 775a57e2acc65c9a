using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.notify (KVM_EXIT_NOTIFY, x86 with KVM_CAP_X86_NOTIFY_VMEXIT).</summary>
[CStruct("kvm_run.notify")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunNotify
{
    public uint Flags;
}
