using KvmPS.Interop.Structs;

namespace KvmPS.Interop.Abi;

/// <summary>The user-controlled VM mapping of api.txt 4.65-4.66, declared in the generic linux/kvm.h.</summary>
internal static class S390Structs
{
    public static readonly KernelStruct UcasMapping = KernelStruct.Of<KvmS390UcasMapping>();
}
