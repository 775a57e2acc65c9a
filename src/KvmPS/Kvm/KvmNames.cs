using System.Reflection;

namespace KvmPS.Kvm;

/// <summary>Maps the generated enums to and from the kernel's names (KVM_CAP_SPAPR_TCE, KVM_EXIT_IO).</summary>
public static class KvmNames
{
    public static string KernelName<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttribute<KernelNameAttribute>()?.Name ?? value.ToString();

    /// <summary>Parses a readable name (<c>SpaprTce</c>), a kernel name (<c>KVM_CAP_SPAPR_TCE</c>) or a number.</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(KernelName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        return Enum.TryParse(text, ignoreCase: true, out value) && char.IsDigit(text.TrimStart('-')[0]);
    }
}
