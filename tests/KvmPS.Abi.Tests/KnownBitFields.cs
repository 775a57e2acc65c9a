using KvmPS.Interop;

namespace KvmPS.Abi.Tests;

/// <summary>
/// Members the layout model declares as the byte that holds C bit-fields. C has no offsetof() for a bit-field,
/// so the member walk skips them; the offsets of their neighbours and the struct's size pin the byte down.
/// </summary>
public static class KnownBitFields
{
    private static readonly (CpuArchitecture Arch, string Struct, string Path)[] s_entries =
    [
        // s390 asm/kvm.h, struct kvm_sync_regs: __u8 bpbc : 1; __u8 reserved2 : 7;
        (CpuArchitecture.S390x, "kvm_sync_regs", "bpbc"),
        (CpuArchitecture.S390x, "kvm_run", "s.regs.bpbc"),
    ];

    public static bool Contains(string structName, string path, CpuArchitecture arch) =>
        s_entries.Contains((arch, structName, path));
}
