using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_vfio_spapr_tce of linux/kvm.h: the payload of KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE.</summary>
[CStruct("kvm_vfio_spapr_tce")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmVfioSpaprTceArg
{
    [CName("groupfd")] public int GroupFd;
    [CName("tablefd")] public int TableFd;
}
