using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_one_reg (api.txt 4.68-4.69): the register id and the address of a buffer of the id's size.</summary>
[CStruct("kvm_one_reg")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmOneReg
{
    public ulong Id;
    public ulong Addr;
}
