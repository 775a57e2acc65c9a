using KvmPS.Interop;

namespace KvmPS.Kvm;

/// <summary>Capability queries behind Get-KvmCapability and Test-KvmCapability.</summary>
public static class KvmCapabilities
{
    public static KvmCapability Parse(string name) => KvmNames.TryParse(name, out KvmCapability capability)
        ? capability
        : throw KvmPSException.InvalidArgument("UnknownCapability",
            $"'{name}' is not a KVM capability KvmPS knows. Use a name such as SpaprTce or KVM_CAP_SPAPR_TCE.");

    /// <summary>
    /// Every known capability whose readable or kernel name matches a pattern (all when none), as the host (or the
    /// VM, when given) answers KVM_CHECK_EXTENSION. A pattern with no wildcard that matches nothing is an error.
    /// </summary>
    public static IReadOnlyList<KvmCapabilityInfo> Query(KvmSession session, KvmVm? vm, string[]? patterns, bool supportedOnly)
    {
        // Literal names (readable, KVM_CAP_* or a number) are validated and canonicalised; wildcards filter.
        string[]? canonical = patterns?.Select(p => NameFilter.HasWildcard(p) ? p : Parse(p).ToString()).ToArray();
        var filter = new NameFilter(canonical);
        Func<KvmCapability, int> check = vm is null ? session.System.CheckExtension : vm.CheckExtension;
        return Enum.GetValues<KvmCapability>()
            .Where(c => filter.Matches(c.ToString(), KvmNames.KernelName(c)))
            .Select(c => KvmCapabilityInfo.From(c, check(c)))
            .Where(info => !supportedOnly || info.Supported)
            .ToArray();
    }

    public static bool IsSupported(KvmSession session, KvmVm? vm, string name)
    {
        KvmCapability capability = Parse(name);
        return (vm is null ? session.System.CheckExtension(capability) : vm.CheckExtension(capability)) > 0;
    }
}
