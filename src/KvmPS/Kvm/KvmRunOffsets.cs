using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>
/// Where kvm_run's parts are on one architecture, resolved once from its layout: the header at offset 0 and the
/// exit union, which s390 places after psw_mask and psw_addr. Exits are read in place as the typed structs of
/// Interop/Structs/KvmRun at <see cref="Exit"/>: pointer arithmetic only, no lookup, lock or allocation.
/// </summary>
internal sealed unsafe class KvmRunOffsets
{
    private static readonly Dictionary<CpuArchitecture, KvmRunOffsets> s_cache = [];

    private KvmRunOffsets(CStructLayout layout)
    {
        CField header = layout.Fields[0];
        if (header.Offset != 0 || header.Size != sizeof(KvmRunHeader))
        {
            throw new InvalidOperationException("struct kvm_run does not start with its header.");
        }
        Exit = layout.Fields.Single(field => field.IsAnonymous && field.Aggregate!.IsUnion).Offset;
        CStructLayout control = ReflectedLayout.Of<KvmRunSyncControl>();
        SyncControl = layout.Fields.Single(field => ReferenceEquals(field.Aggregate, control)).Offset;
        SyncRegs = SyncControl + sizeof(KvmRunSyncControl);   // union s follows, 8-aligned like the words before it
        Size = layout.Size;
    }

    /// <summary>Where the exit union (io, mmio, internal, system_event, ...) begins.</summary>
    public int Exit { get; }

    /// <summary>Where kvm_valid_regs and kvm_dirty_regs are.</summary>
    public int SyncControl { get; }

    /// <summary>Where kvm_run.s, the architecture's kvm_sync_regs, begins.</summary>
    public int SyncRegs { get; }

    public int Size { get; }

    /// <summary>The members before the exit union, at the start of kvm_run.</summary>
    public static KvmRunHeader* Header(byte* run) => (KvmRunHeader*)run;

    /// <summary>The exit-union member <typeparamref name="T"/> of the kvm_run at <paramref name="run"/>.</summary>
    public T* Member<T>(byte* run) where T : unmanaged => (T*)(run + Exit);

    /// <summary>The header in a lease of the kvm_run mapping, bounds-checked.</summary>
    public static ref KvmRunHeader Header(in MappingLease run) => ref run.At<KvmRunHeader>(0);

    /// <summary>The exit-union member <typeparamref name="T"/> in a lease of the kvm_run mapping, bounds-checked.</summary>
    public ref T Member<T>(in MappingLease run) where T : unmanaged => ref run.At<T>((ulong)Exit);

    public static KvmRunOffsets For(CpuArchitecture arch)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(arch, out KvmRunOffsets? offsets))
            {
                s_cache[arch] = offsets = new KvmRunOffsets(KvmRunLayout.KvmRun.LayoutOn(arch));
            }
            return offsets;
        }
    }
}
