namespace KvmPS.Kvm;

/// <summary>
/// What <see cref="KvmVcpu.StartLoop"/> runs around each KVM_RUN on the vCPU's thread. Called on that thread only,
/// so its per-vCPU state needs no locks.
/// </summary>
internal unsafe interface IVcpuLoopBody
{
    /// <summary>The loop is about to enter its first KVM_RUN (on the vCPU thread).</summary>
    void OnStarted();

    /// <summary>Checked before every KVM_RUN, after immediate_exit was cleared: true ends the loop.</summary>
    bool StopRequested { get; }

    /// <summary>
    /// Handles one return of KVM_RUN: <paramref name="result"/> is its result or -errno, <paramref name="run"/> the
    /// mapped kvm_run, <paramref name="ticks"/> the Stopwatch ticks spent in the ioctl. False ends the loop.
    /// </summary>
    bool OnExit(byte* run, long result, long ticks);

    /// <summary>The loop has ended (normally, or with <paramref name="error"/>); the run admission is released.</summary>
    void OnEnded(Exception? error);
}
