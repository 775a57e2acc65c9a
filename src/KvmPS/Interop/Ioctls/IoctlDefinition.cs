using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Ioctls;

/// <summary>
/// One ioctl as its header declares it: _IO/_IOR/_IOW/_IOWR, type, number and argument, plus the
/// architectures whose headers define it. The request number is computed per architecture, because the
/// encoding (powerpc) and the argument's size (per-arch structs) both vary.
/// </summary>
internal abstract class IoctlDefinition
{
    private protected IoctlDefinition(string name, IoctlDirection direction, byte type, byte number,
        KernelStruct? structArgument, CPrimitive? scalarArgument, ArchitectureSet architectures)
    {
        Name = name;
        Direction = direction;
        Type = type;
        Number = number;
        StructArgument = structArgument;
        ScalarArgument = scalarArgument;
        Architectures = architectures;
    }

    public string Name { get; }
    public IoctlDirection Direction { get; }
    public byte Type { get; }
    public byte Number { get; }

    /// <summary>The struct whose address is passed, if any (also for _IO ioctls such as VFIO's, which pass one).</summary>
    public KernelStruct? StructArgument { get; }

    /// <summary>The scalar type named in the _IOx() macro, for ioctls such as <c>_IOW(KVMIO, 0x48, __u64)</c>.</summary>
    public CPrimitive? ScalarArgument { get; }

    public ArchitectureSet Architectures { get; }

    /// <summary>The kind of descriptor the ioctl is issued on (one of the interfaces in Handles/DescriptorKinds.cs).</summary>
    public abstract Type DescriptorKind { get; }

    /// <summary>
    /// False for KVM_RUN, whose EINTR is an answer (a signal or immediate_exit, api.txt 4.10); every other ioctl is
    /// issued again when a signal interrupts it.
    /// </summary>
    public bool RetriesWhenInterrupted { get; protected init; } = true;

    public bool IsDefinedOn(CpuArchitecture arch) =>
        Architectures.Contains(arch) && (StructArgument?.IsDefinedOn(arch) ?? true);

    /// <summary>The size field of the request: the argument's size, or 0 for _IO.</summary>
    public int EncodedSizeOn(CpuArchitecture arch) => Direction == IoctlDirection.None
        ? 0
        : ScalarArgument?.Size ?? StructArgument!.SizeOn(arch);

    /// <summary>The request number to pass to ioctl(2) on <paramref name="arch"/>.</summary>
    public uint RequestOn(CpuArchitecture arch)
    {
        if (!IsDefinedOn(arch))
        {
            throw new IoctlUnavailableException(Name, arch);
        }
        return IoctlEncoding.Encode(arch, Direction, Type, Number, EncodedSizeOn(arch));
    }

    public override string ToString() => Name;
}

/// <summary>An ioctl of the descriptor kind <typeparamref name="TOwner"/>; KernelCalls takes it only on such a handle.</summary>
internal sealed class IoctlDefinition<TOwner> : IoctlDefinition where TOwner : class
{
    internal IoctlDefinition(string name, IoctlDirection direction, byte type, byte number,
        KernelStruct? structArgument, CPrimitive? scalarArgument, ArchitectureSet architectures)
        : base(name, direction, type, number, structArgument, scalarArgument, architectures)
    {
    }

    public override Type DescriptorKind => typeof(TOwner);

    /// <summary>The same ioctl, with EINTR returned to the caller instead of retried.</summary>
    public IoctlDefinition<TOwner> AnswersInterrupts() =>
        new(Name, Direction, Type, Number, StructArgument, ScalarArgument, Architectures) { RetriesWhenInterrupted = false };
}

/// <summary>
/// The _IO/_IOR/_IOW/_IOWR declarations for ioctls on descriptors of kind <typeparamref name="TOwner"/>; an ioctl
/// file imports the factory of its descriptor kind with <c>using static</c>.
/// </summary>
internal static class IoctlsOn<TOwner> where TOwner : class
{
    public static IoctlDefinition<TOwner> IO(byte type, string name, byte number, ArchitectureSet on = ArchitectureSet.All) =>
        new IoctlDefinition<TOwner>(name, IoctlDirection.None, type, number, null, null, on);

    /// <summary>An _IO ioctl that nevertheless passes a struct (VFIO's convention: the size travels in argsz).</summary>
    public static IoctlDefinition<TOwner> IO(byte type, string name, byte number, KernelStruct passes, ArchitectureSet on = ArchitectureSet.All) =>
        new IoctlDefinition<TOwner>(name, IoctlDirection.None, type, number, passes, null, on);

    public static IoctlDefinition<TOwner> IOR(byte type, string name, byte number, KernelStruct argument, ArchitectureSet on = ArchitectureSet.All) =>
        new IoctlDefinition<TOwner>(name, IoctlDirection.Read, type, number, argument, null, on);

    public static IoctlDefinition<TOwner> IOW(byte type, string name, byte number, KernelStruct argument, ArchitectureSet on = ArchitectureSet.All) =>
        new IoctlDefinition<TOwner>(name, IoctlDirection.Write, type, number, argument, null, on);

    public static IoctlDefinition<TOwner> IOWR(byte type, string name, byte number, KernelStruct argument, ArchitectureSet on = ArchitectureSet.All) =>
        new IoctlDefinition<TOwner>(name, IoctlDirection.ReadWrite, type, number, argument, null, on);

    public static IoctlDefinition<TOwner> IOR(byte type, string name, byte number, CPrimitive argument, ArchitectureSet on = ArchitectureSet.All) =>
        new IoctlDefinition<TOwner>(name, IoctlDirection.Read, type, number, null, argument, on);

    public static IoctlDefinition<TOwner> IOW(byte type, string name, byte number, CPrimitive argument, ArchitectureSet on = ArchitectureSet.All) =>
        new IoctlDefinition<TOwner>(name, IoctlDirection.Write, type, number, null, argument, on);

    public static IoctlDefinition<TOwner> IOWR(byte type, string name, byte number, CPrimitive argument, ArchitectureSet on = ArchitectureSet.All) =>
        new IoctlDefinition<TOwner>(name, IoctlDirection.ReadWrite, type, number, null, argument, on);
}
