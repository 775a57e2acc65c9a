using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using KvmPS.Interop;

namespace KvmPS.Kvm;

/// <summary>
/// The one thread a vCPU is created on and driven from. api.txt section 1: vCPU ioctls must be issued from the
/// thread that created the vCPU; PowerShell may call from any pipeline thread, so every call is marshalled here.
/// The thread is a background thread: a vCPU stuck in a guest never keeps the process from exiting.
/// </summary>
internal sealed class VcpuThread
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly Func<int> _kernelThreadId;
    private readonly ManualResetEventSlim _started = new();
    private int _nativeThreadId;
    private Pending<bool>? _final;

    public VcpuThread(string name, Func<int> kernelThreadId)
    {
        _kernelThreadId = kernelThreadId;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        try
        {
            _thread.Start();
        }
        catch (Exception e) when (e is OutOfMemoryException or ThreadStartException)
        {
            // The runtime reports pthread_create's EAGAIN (thread, memory or descriptor limits) as OutOfMemoryException.
            throw new KvmPSException("VcpuThreadStartFailed", ErrorKind.ResourceUnavailable,
                $"Could not start the thread for {name}: the process is at a limit of threads, memory or open descriptors. " +
                "Remove VMs and vCPUs you no longer need, or raise the limits (ulimit -u, ulimit -n).", e);
        }
        _started.Wait();
    }

    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>The kernel's id of the thread (gettid), the target of a kick signal.</summary>
    public int NativeThreadId => _nativeThreadId;

    public bool IsCurrent => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>Queues <paramref name="work"/> and returns at once; <see cref="Pending{T}.Wait"/> gets its result.</summary>
    public Pending<T> Post<T>(Func<T> work)
    {
        var pending = new Pending<T>(work);
        if (IsCurrent)
        {
            pending.Execute();
            return pending;
        }
        try
        {
            _work.Add(pending.Execute);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(_thread.Name, "The vCPU has been removed.");
        }
        return pending;
    }

    public T Invoke<T>(Func<T> work) => Post(work).Wait();

    public void Invoke(Action work) => Invoke(() =>
    {
        work();
        return true;
    });

    private void Loop()
    {
        _nativeThreadId = _kernelThreadId();
        _started.Set();
        foreach (Action item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }

    /// <summary>
    /// Queues the final work (closing the vCPU) once and lets the thread end after it; returns that work, whose
    /// caller waits on it as long as it chooses. Work queued behind a KVM_RUN runs when the run returns.
    /// </summary>
    public Pending<bool> Stop(Action finalWork)
    {
        lock (_work)
        {
            if (_final is null)
            {
                _final = Post(() =>
                {
                    finalWork();
                    return true;
                });
                _work.CompleteAdding();
            }
            return _final;
        }
    }

    /// <summary>One queued call: its result or exception, and the event its caller waits on.</summary>
    internal sealed class Pending<T>
    {
        private readonly Func<T> _work;
        private readonly ManualResetEventSlim _done = new();
        private T _result = default!;
        private ExceptionDispatchInfo? _failure;

        public Pending(Func<T> work) => _work = work;

        public void Execute()
        {
            try
            {
                _result = _work();
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _done.Set();
            }
        }

        public T Wait()
        {
            _done.Wait();
            return Result();
        }

        public bool TryWait(TimeSpan timeout)
        {
            if (!_done.Wait(timeout))
            {
                return false;
            }
            Result();
            return true;
        }

        private T Result()
        {
            _failure?.Throw();
            return _result;
        }
    }
}
