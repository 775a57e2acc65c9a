using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.dcr (KVM_EXIT_DCR, deprecated, 44x powerpc).</summary>
[CStruct("kvm_run.dcr")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunDcr
{
    public uint Dcrn;
    public uint Data;
    public byte IsWrite;
}
