using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.eoi (KVM_EXIT_IOAPIC_EOI, split irqchip).</summary>
[CStruct("kvm_run.eoi")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunEoi
{
    public byte Vector;
}
