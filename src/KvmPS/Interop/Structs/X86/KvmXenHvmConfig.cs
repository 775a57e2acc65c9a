using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_xen_hvm_config (api.txt 4.28).</summary>
[CStruct("kvm_xen_hvm_config")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmXenHvmConfig
{
    public uint Flags;
    public uint Msr;
    [CName("blob_addr_32")] public ulong BlobAddr32;
    [CName("blob_addr_64")] public ulong BlobAddr64;
    [CName("blob_size_32")] public byte BlobSize32;
    [CName("blob_size_64")] public byte BlobSize64;
    [CName("pad2")] public fixed byte Pad2[30];
}
