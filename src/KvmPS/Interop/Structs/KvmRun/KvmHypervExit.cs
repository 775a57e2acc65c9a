using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_hyperv_exit (kvm_run.hyperv, KVM_EXIT_HYPERV): type says which member of u is valid.</summary>
[CStruct("kvm_hyperv_exit")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmHypervExit
{
    public uint Type;
    public uint Pad1;
    public KvmHypervExitUnion U;
}

/// <summary>kvm_hyperv_exit.u.</summary>
[CStruct("kvm_hyperv_exit.u", IsUnion = true)]
[StructLayout(LayoutKind.Explicit)]
internal struct KvmHypervExitUnion
{
    [FieldOffset(0)] public KvmHypervSynic Synic;
    [FieldOffset(0)] public KvmHypervHcall Hcall;
    [FieldOffset(0)] public KvmHypervSyndbg Syndbg;
}

/// <summary>kvm_hyperv_exit.u.synic (KVM_EXIT_HYPERV_SYNIC): the guest wrote a SynIC MSR.</summary>
[CStruct("kvm_hyperv_exit.synic")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmHypervSynic
{
    public uint Msr;
    public uint Pad2;
    public ulong Control;
    public ulong EvtPage;
    public ulong MsgPage;
}

/// <summary>kvm_hyperv_exit.u.hcall (KVM_EXIT_HYPERV_HCALL): userspace writes result.</summary>
[CStruct("kvm_hyperv_exit.hcall")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmHypervHcall
{
    public ulong Input;
    public ulong Result;
    public fixed ulong Params[2];
}

/// <summary>kvm_hyperv_exit.u.syndbg (KVM_EXIT_HYPERV_SYNDBG).</summary>
[CStruct("kvm_hyperv_exit.syndbg")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmHypervSyndbg
{
    public uint Msr;
    public uint Pad2;
    public ulong Control;
    public ulong Status;
    public ulong SendPage;
    public ulong RecvPage;
    public ulong PendingPage;
}
