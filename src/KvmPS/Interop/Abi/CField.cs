namespace KvmPS.Interop.Abi;

/// <summary>
/// One member of a C struct or union at its byte offset: a scalar (<see cref="Primitive"/>) or an aggregate
/// (<see cref="Aggregate"/>), possibly an array of <see cref="Count"/> elements. An anonymous member (the
/// nameless exit union inside kvm_run, say) has an empty name and its members are reached as the parent's own.
/// </summary>
internal sealed record CField(string Name, int Offset, CPrimitive? Primitive, CStructLayout? Aggregate, int Count, bool IsArray)
{
    public bool IsAnonymous => Name.Length == 0;
    public int ElementSize => Primitive?.Size ?? Aggregate!.Size;
    public int Alignment => Primitive?.Alignment ?? Aggregate!.Alignment;
    public int Size => ElementSize * Count;
}
