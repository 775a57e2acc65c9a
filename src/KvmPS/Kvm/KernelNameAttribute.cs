namespace KvmPS.Kvm;

/// <summary>The kernel's own name of an enum member, e.g. KVM_CAP_SPAPR_TCE for <see cref="KvmCapability.SpaprTce"/>.</summary>
[AttributeUsage(AttributeTargets.Field)]
internal sealed class KernelNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
