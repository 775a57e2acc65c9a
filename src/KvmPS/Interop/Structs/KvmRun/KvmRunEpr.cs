using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.epr (KVM_EXIT_EPR, booke powerpc with KVM_CAP_PPC_EPR): userspace writes the vector.</summary>
[CStruct("kvm_run.epr")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunEpr
{
    public uint Epr;
}
