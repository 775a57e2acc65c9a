using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Ioctls;

/// <summary>
/// One ioctl as its header declares it: _IO/_IOR/_IOW/_IOWR, type, number and argument, plus the
/// architectures whose headers define it. The request number is computed per architecture, because the
/// encoding (powerpc) and the argument's size (per-arch structs) both vary.
/// </summary>
internal sealed class IoctlDefinition
{
    private IoctlDefinition(string name, IoctlDirection direction, byte type, byte number,
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

    public static IoctlDefinition IO(byte type, string name, byte number, ArchitectureSet on = ArchitectureSet.All) =>
        new(name, IoctlDirection.None, type, number, null, null, on);

    /// <summary>An _IO ioctl that nevertheless passes a struct (VFIO's convention: the size travels in argsz).</summary>
    public static IoctlDefinition IO(byte type, string name, byte number, KernelStruct passes, ArchitectureSet on = ArchitectureSet.All) =>
        new(name, IoctlDirection.None, type, number, passes, null, on);

    public static IoctlDefinition IOR(byte type, string name, byte number, KernelStruct argument, ArchitectureSet on = ArchitectureSet.All) =>
        new(name, IoctlDirection.Read, type, number, argument, null, on);

    public static IoctlDefinition IOW(byte type, string name, byte number, KernelStruct argument, ArchitectureSet on = ArchitectureSet.All) =>
        new(name, IoctlDirection.Write, type, number, argument, null, on);

    public static IoctlDefinition IOWR(byte type, string name, byte number, KernelStruct argument, ArchitectureSet on = ArchitectureSet.All) =>
        new(name, IoctlDirection.ReadWrite, type, number, argument, null, on);

    public static IoctlDefinition IOR(byte type, string name, byte number, CPrimitive argument, ArchitectureSet on = ArchitectureSet.All) =>
        new(name, IoctlDirection.Read, type, number, null, argument, on);

    public static IoctlDefinition IOW(byte type, string name, byte number, CPrimitive argument, ArchitectureSet on = ArchitectureSet.All) =>
        new(name, IoctlDirection.Write, type, number, null, argument, on);

    public static IoctlDefinition IOWR(byte type, string name, byte number, CPrimitive argument, ArchitectureSet on = ArchitectureSet.All) =>
        new(name, IoctlDirection.ReadWrite, type, number, null, argument, on);

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
