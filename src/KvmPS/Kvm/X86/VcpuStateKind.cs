using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm.X86;

/// <summary>The x86 vCPU state structs <see cref="X86VcpuState"/> reads and writes as <see cref="VcpuStateBlock"/>s.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum VcpuStateKind
{
    Fpu,
    Xsave,
    Xcrs,
    Events,
    DebugRegisters,
}
