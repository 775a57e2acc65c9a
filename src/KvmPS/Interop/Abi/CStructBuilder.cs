namespace KvmPS.Interop.Abi;

/// <summary>Declares a struct or union member by member, in header order, and lays it out.</summary>
internal sealed class CStructBuilder
{
    private readonly string _name;
    private readonly bool _isUnion;
    private readonly List<CField> _fields = [];
    private int _offset;
    private int _size;
    private int _alignment = 1;

    internal CStructBuilder(string name, bool isUnion)
    {
        _name = name;
        _isUnion = isUnion;
    }

    public CStructBuilder U8(string name, int count = 0) => Add(name, CPrimitive.U8, null, count);
    public CStructBuilder U16(string name, int count = 0) => Add(name, CPrimitive.U16, null, count);
    public CStructBuilder U32(string name, int count = 0) => Add(name, CPrimitive.U32, null, count);
    public CStructBuilder U64(string name, int count = 0) => Add(name, CPrimitive.U64, null, count);
    public CStructBuilder S16(string name, int count = 0) => Add(name, CPrimitive.S16, null, count);
    public CStructBuilder S32(string name, int count = 0) => Add(name, CPrimitive.S32, null, count);
    public CStructBuilder S64(string name, int count = 0) => Add(name, CPrimitive.S64, null, count);
    public CStructBuilder UnsignedLong(string name, int count = 0) => Add(name, CPrimitive.UnsignedLong, null, count);

    /// <summary>A member of a scalar type without its own method here, such as aarch64's <c>__uint128_t</c>.</summary>
    public CStructBuilder Scalar(string name, CPrimitive type, int count = 0) => Add(name, type, null, count);

    /// <summary>A nested struct or union member; <paramref name="count"/> &gt; 0 declares an array.</summary>
    public CStructBuilder Member(string name, CStructLayout layout, int count = 0) => Add(name, null, layout, count);

    /// <summary>A nameless union or struct whose members belong to this aggregate (C11 anonymous member).</summary>
    public CStructBuilder Anonymous(CStructLayout layout) => Add("", null, layout, 0);

    /// <summary>A flexible array member (<c>__u64 reg[0]</c> or <c>reg[]</c>): aligns, adds no size.</summary>
    public CStructBuilder FlexibleArray(string name, CPrimitive element)
    {
        Align(element.Alignment);
        _fields.Add(new CField(name, _isUnion ? 0 : _offset, element, null, 0, IsArray: true));
        return this;
    }

    /// <summary>A flexible array of structs (<c>struct kvm_cpuid_entry2 entries[]</c>): aligns, adds no size.</summary>
    public CStructBuilder FlexibleArray(string name, CStructLayout element)
    {
        Align(element.Alignment);
        _fields.Add(new CField(name, _isUnion ? 0 : _offset, null, element, 0, IsArray: true));
        return this;
    }

    private CStructBuilder Add(string name, CPrimitive? primitive, CStructLayout? aggregate, int count)
    {
        int alignment = primitive?.Alignment ?? aggregate!.Alignment;
        int elementSize = primitive?.Size ?? aggregate!.Size;
        int elements = count == 0 ? 1 : count;
        var field = new CField(name, 0, primitive, aggregate, elements, IsArray: count > 0);
        if (_isUnion)
        {
            _fields.Add(field);
            _size = Math.Max(_size, elementSize * elements);
        }
        else
        {
            Align(alignment);
            _fields.Add(field with { Offset = _offset });
            _offset += elementSize * elements;
            _size = _offset;
        }
        _alignment = Math.Max(_alignment, alignment);
        return this;
    }

    private void Align(int alignment)
    {
        _alignment = Math.Max(_alignment, alignment);
        _offset = RoundUp(_offset, alignment);
        _size = Math.Max(_size, _offset);
    }

    private static int RoundUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;

    public CStructLayout Build() =>
        new(_name, _isUnion, RoundUp(_size, _alignment), _alignment, _fields.ToArray());
}
