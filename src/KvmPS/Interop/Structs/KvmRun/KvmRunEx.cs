using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.ex (KVM_EXIT_EXCEPTION).</summary>
[CStruct("kvm_run.ex")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunEx
{
    public uint Exception;
    public uint ErrorCode;
}
