using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace KvmPS.Kvm;

/// <summary>
/// The one thread a vCPU is created on and driven from. api.txt section 1: vCPU ioctls must be issued from the
/// thread that created the vCPU; PowerShell may call from any pipeline thread, so every call is marshalled here.
/// </summary>
internal sealed class VcpuThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly Func<int> _kernelThreadId;
    private readonly ManualResetEventSlim _started = new();
    private int _nativeThreadId;

    public VcpuThread(string name, Func<int> kernelThreadId)
    {
        _kernelThreadId = kernelThreadId;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
        _started.Wait();
    }

    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>The kernel's id of the thread (gettid), the target of a kick signal.</summary>
    public int NativeThreadId => _nativeThreadId;

    public T Invoke<T>(Func<T> work)
    {
        if (Environment.CurrentManagedThreadId == _thread.ManagedThreadId)
        {
            return work();
        }
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        using var done = new ManualResetEventSlim();
        try
        {
            _work.Add(() =>
            {
                try
                {
                    result = work();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    done.Set();
                }
            });
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(_thread.Name, "The vCPU has been removed.");
        }
        done.Wait();
        failure?.Throw();
        return result;
    }

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

    /// <summary>Runs the final work (closing the vCPU) on the thread, then lets it end.</summary>
    public void Stop(Action finalWork)
    {
        if (_work.IsAddingCompleted)
        {
            return;
        }
        Invoke(finalWork);
        _work.CompleteAdding();
        if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
        {
            _thread.Join();
        }
    }

    public void Dispose() => Stop(() => { });
}
