namespace KvmPS.Interop.Abi;

/// <summary>The user-controlled VM mapping of api.txt 4.65-4.66, declared in the generic linux/kvm.h.</summary>
public static class S390Structs
{
    public static readonly KernelStruct UcasMapping = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_s390_ucas_mapping")
            .U64("user_addr").U64("vcpu_addr").U64("length")
            .Build(),
        "user_addr", "vcpu_addr", "length");
}
