namespace KvmPS.Kvm.X86;

/// <summary>The MSR accesses a filter range governs.</summary>
[Flags]
public enum MsrFilterAccess
{
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}

/// <summary>
/// One range of an MSR filter (KVM_X86_SET_MSR_FILTER): <see cref="Count"/> MSRs from <see cref="Base"/>, for the
/// accesses in <see cref="Access"/>. Each MSR is allowed when its bit in <see cref="Allowed"/> is set (bit n of byte
/// n / 8 is MSR Base + n); without a bitmap every MSR of the range is denied.
/// </summary>
public sealed record MsrFilterRange(uint Base, uint Count, MsrFilterAccess Access, byte[]? Allowed = null);
