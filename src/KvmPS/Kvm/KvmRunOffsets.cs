using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;

namespace KvmPS.Kvm;

/// <summary>
/// The kvm_run offsets the run loop reads on every exit, resolved once per architecture from the layout, so the
/// hot path does pointer arithmetic only (no string lookups).
/// </summary>
internal sealed class KvmRunOffsets
{
    private static readonly Dictionary<CpuArchitecture, KvmRunOffsets> s_cache = [];

    private KvmRunOffsets(CStructLayout layout)
    {
        ImmediateExit = layout.OffsetOf("immediate_exit");
        ExitReason = layout.OffsetOf("exit_reason");
        Exit = layout.OffsetOf("io.direction");   // the exit union starts with each member's first field
        Size = layout.Size;
    }

    public int ImmediateExit { get; }
    public int ExitReason { get; }

    /// <summary>Where the exit union (io, mmio, internal, system_event, ...) begins.</summary>
    public int Exit { get; }

    public int Size { get; }

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

/// <summary>kvm_run.io (api.txt section 5, KVM_EXIT_IO): the data is at data_offset from the start of kvm_run.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunIo
{
    public byte Direction;
    public byte Size;
    public ushort Port;
    public uint Count;
    public ulong DataOffset;
}

/// <summary>kvm_run.mmio (KVM_EXIT_MMIO): for a read, the kernel completes the load from data on the next KVM_RUN.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunMmio
{
    public ulong PhysAddr;
    public fixed byte Data[8];
    public uint Len;
    public byte IsWrite;
}

/// <summary>kvm_run.internal (KVM_EXIT_INTERNAL_ERROR).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunInternal
{
    public uint Suberror;
    public uint Ndata;
    public fixed ulong Data[16];
}

/// <summary>kvm_run.system_event (KVM_EXIT_SYSTEM_EVENT); data follows when ndata is set.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunSystemEvent
{
    public uint Type;
    public uint Ndata;
    public fixed ulong Data[16];
}

/// <summary>kvm_run.fail_entry (KVM_EXIT_FAIL_ENTRY).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunFailEntry
{
    public ulong HardwareEntryFailureReason;
    public uint Cpu;
}
