using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Kvm.Registers;
using Newtonsoft.Json;

namespace KvmPS.Kvm.X86;

/// <summary>
/// One fixed-size kernel struct of vCPU state (kvm_fpu, kvm_xcrs, kvm_vcpu_events, kvm_debugregs, kvm_xsave) as
/// its raw bytes, with its members by the header's names in <see cref="Fields"/> (nested members joined with '.').
/// </summary>
public sealed class VcpuStateBlock
{
    private readonly RegisterLayout? _layout;

    [JsonConstructor]
    public VcpuStateBlock(string @struct, byte[] bytes)
    {
        Struct = @struct;
        Bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));
    }

    internal VcpuStateBlock(KernelStruct kernelStruct, CpuArchitecture arch, byte[] bytes, bool withFields = true)
        : this(kernelStruct.Name, bytes)
    {
        _layout = withFields ? new RegisterLayout(kernelStruct.LayoutOn(arch)) : null;
    }

    public string Struct { get; }

    /// <summary>The struct as the kernel filled it; what Set-KvmVcpuState and the state file carry.</summary>
    public byte[] Bytes { get; }

    /// <summary>Written to the state file for people to read; ignored when it is read back (Bytes is the state).</summary>
    public IReadOnlyDictionary<string, ulong> Fields => _layout is null
        ? new Dictionary<string, ulong>()
        : _layout.Slots.ToDictionary(s => s.Name, s => _layout.Read(Bytes.AsSpan(s.Offset, s.Size)), StringComparer.OrdinalIgnoreCase);

    /// <summary>A copy with one member changed by name (<c>dr7</c>, <c>db[0]</c>, <c>nmi.masked</c>).</summary>
    public VcpuStateBlock With(string field, ulong value)
    {
        if (_layout is null || !_layout.Has(field))
        {
            throw KvmPSException.InvalidArgument("UnknownStateField",
                $"struct {Struct} has no member '{field}'{(_layout is null ? "" : $"; it has {string.Join(", ", _layout.Slots.Select(s => s.Name))}")}.");
        }
        var block = new VcpuStateBlock(Struct, (byte[])Bytes.Clone(), _layout);
        _layout.Write(block.Bytes, field, value);
        return block;
    }

    private VcpuStateBlock(string @struct, byte[] bytes, RegisterLayout layout)
        : this(@struct, bytes) => _layout = layout;

    public override string ToString() => $"struct {Struct} ({Bytes.Length} bytes)";
}
