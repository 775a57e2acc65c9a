using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm.Registers;

/// <summary>Which ioctl pair holds a register: KVM_GET/SET_REGS or KVM_GET/SET_SREGS (api.txt 4.11-4.14).</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum RegisterBank
{
    General,
    Special,
}
