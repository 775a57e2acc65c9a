namespace KvmPS.Kvm;

/// <summary>
/// A lazily created, process-wide instance that module removal disposes and forgets, so the next use after a
/// re-import starts fresh. Backs KvmSession.Default and VfioSession.Default.
/// </summary>
internal sealed class ProcessWideDefault<T>(Func<T> create) where T : class, IDisposable
{
    private readonly object _gate = new();
    private T? _value;

    public T Value
    {
        get
        {
            lock (_gate)
            {
                return _value ??= create();
            }
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _value?.Dispose();
            _value = null;
        }
    }
}
