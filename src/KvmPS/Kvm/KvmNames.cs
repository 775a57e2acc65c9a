using System.Reflection;

namespace KvmPS.Kvm;

/// <summary>Maps the generated enums to and from the kernel's names (KVM_CAP_SPAPR_TCE, KVM_EXIT_IO).</summary>
internal static class KvmNames
{
    public static string KernelName<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttribute<KernelNameAttribute>()?.Name ?? value.ToString();

    /// <summary>The KVM_EXIT_* name of a raw kvm_run.exit_reason; KVM_EXIT_n for a reason this module does not know.</summary>
    public static string ExitName(uint rawReason) =>
        Enum.IsDefined((KvmExitReason)rawReason) ? KernelName((KvmExitReason)rawReason) : $"KVM_EXIT_{rawReason}";

    /// <summary>An exit reason by readable name (Hlt), kernel name (KVM_EXIT_HLT) or number; an error listing the names otherwise.</summary>
    public static KvmExitReason ParseExitReason(string name) => TryParse(name, out KvmExitReason reason)
        ? reason
        : throw Interop.KvmPSException.InvalidArgument("UnknownExitReason",
            $"'{name}' is not a KVM exit reason. Known: {string.Join(", ", Enum.GetValues<KvmExitReason>().Select(r => KernelName(r)))}.");

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
