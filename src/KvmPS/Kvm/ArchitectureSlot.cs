namespace KvmPS.Kvm;

/// <summary>
/// The one place a VM or a vCPU keeps state that only one architecture has (arm64's device addresses and vCPU
/// target, s390's UCAS mappings): created on first use, disposed with its owner when it is IDisposable.
/// </summary>
internal sealed class ArchitectureSlot
{
    private readonly object _gate = new();
    private object? _state;
    private bool _disposed;

    /// <summary>The state of type <typeparamref name="T"/>, created on first use.</summary>
    public T Get<T>() where T : class, new()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _state ??= new T();
            return _state as T
                ?? throw new InvalidOperationException($"The architecture state is a {_state.GetType().Name}, not a {typeof(T).Name}.");
        }
    }

    /// <summary>The state if it exists, without creating it.</summary>
    public T? Find<T>() where T : class
    {
        lock (_gate)
        {
            return _state as T;
        }
    }

    public void Dispose()
    {
        object? state;
        lock (_gate)
        {
            _disposed = true;
            state = _state;
            _state = null;
        }
        (state as IDisposable)?.Dispose();
    }
}
