namespace KvmPS.Interop.Abi;

/// <summary>
/// A C scalar type as the kernel's UAPI headers use it. All four supported architectures are LP64 and
/// align every scalar to its size, so one table serves them all.
/// </summary>
internal sealed record CPrimitive(string Name, int Size)
{
    public static readonly CPrimitive U8 = new("__u8", 1);
    public static readonly CPrimitive U16 = new("__u16", 2);
    public static readonly CPrimitive U32 = new("__u32", 4);
    public static readonly CPrimitive U64 = new("__u64", 8);
    public static readonly CPrimitive S16 = new("__s16", 2);
    public static readonly CPrimitive S32 = new("__s32", 4);
    public static readonly CPrimitive S64 = new("__s64", 8);
    public static readonly CPrimitive UnsignedLong = new("unsigned long", 8);

    public int Alignment => Size;
}
