using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_xen_exit (kvm_run.xen, KVM_EXIT_XEN): type says which member of u is valid.</summary>
[CStruct("kvm_xen_exit")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmXenExit
{
    /// <summary>KVM_EXIT_XEN_HCALL.</summary>
    public const uint HcallType = 1;

    public uint Type;
    public KvmXenExitUnion U;
}

/// <summary>kvm_xen_exit.u.</summary>
[CStruct("kvm_xen_exit.u", IsUnion = true)]
[StructLayout(LayoutKind.Explicit)]
internal struct KvmXenExitUnion
{
    [FieldOffset(0)] public KvmXenHcall Hcall;
}

/// <summary>kvm_xen_exit.u.hcall: a Xen hypercall the kernel left to user space, which writes result (api.rst 5, KVM_EXIT_XEN).</summary>
[CStruct("kvm_xen_exit.hcall")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmXenHcall
{
    public uint Longmode;
    public uint Cpl;
    public ulong Input;
    public ulong Result;
    public fixed ulong Params[6];
}
