using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using KvmPS.Interop;

namespace KvmPS.Kvm;

/// <summary>
/// The one thread a vCPU is driven from. api.rst section 1: vCPU ioctls should come from one thread, or "the first
/// ioctl after switching threads could see a performance impact"; PowerShell may call from any pipeline thread, so
/// every call is marshalled here. The thread starts with the first call (a vCPU that is created and removed without
/// ever being used costs no thread; KVM_CREATE_VCPU itself runs on the creating thread, the one switch the rule
/// allows for). It is a background thread: a vCPU stuck in a guest never keeps the process from exiting.
/// </summary>
internal sealed class VcpuThread
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly Func<int> _kernelThreadId;
    private int _nativeThreadId;
    private bool _started;
    private Pending<bool>? _final;

    public VcpuThread(string name, Func<int> kernelThreadId)
    {
        _kernelThreadId = kernelThreadId;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
    }

    /// <summary>Starts the thread unless it runs or was stopped; called under the lock that guards <see cref="_started"/>.</summary>
    private void EnsureStarted()
    {
        if (_started || _work.IsAddingCompleted)
        {
            return;
        }
        try
        {
            _thread.Start();
            _started = true;
        }
        catch (Exception e) when (e is OutOfMemoryException or ThreadStartException)
        {
            // The runtime reports pthread_create's EAGAIN (thread, memory or descriptor limits) as OutOfMemoryException.
            throw new KvmPSException("VcpuThreadStartFailed", ErrorKind.ResourceUnavailable,
                $"Could not start the thread for {_thread.Name}: the process is at a limit of threads, memory or open descriptors. " +
                "Remove VMs and vCPUs you no longer need, or raise the limits (ulimit -u, ulimit -n).", e);
        }
    }

    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>The kernel's id of the thread (gettid), the target of a kick signal; set before the thread runs any work.</summary>
    public int NativeThreadId => Volatile.Read(ref _nativeThreadId);

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
        lock (_work)
        {
            EnsureStarted();
            try
            {
                _work.Add(pending.Execute);
            }
            catch (InvalidOperationException)
            {
                throw new ObjectDisposedException(_thread.Name, "The vCPU has been removed.");
            }
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
        Volatile.Write(ref _nativeThreadId, _kernelThreadId());
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
        Pending<bool>? inline = null;
        lock (_work)
        {
            if (_final is null)
            {
                var final = new Pending<bool>(() =>
                {
                    finalWork();
                    return true;
                });
                if (_started)
                {
                    _work.Add(final.Execute);
                }
                else
                {
                    inline = final;   // no thread ever ran: the caller closes, outside the lock (finalWork takes other locks)
                }
                _work.CompleteAdding();
                _final = final;
            }
        }
        inline?.Execute();
        return _final;
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
