using System.Text;

namespace KvmPS.Devices;

/// <summary>
/// What a guest wrote to a serial port, kept whole, with a cursor for readers that take it incrementally and a
/// signal for readers that wait for more (streaming). Optionally also appended to a file. Thread-safe.
/// </summary>
public sealed class SerialOutput : IDisposable
{
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private readonly FileStream? _file;
    private int _taken;
    private long _version;

    public SerialOutput(string? path = null)
    {
        Path = path;
        _file = path is null ? null : new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 4096);
    }

    /// <summary>The file the output is also appended to, or null.</summary>
    public string? Path { get; }

    /// <summary>Everything received so far.</summary>
    public string All { get { lock (_gate) { return _text.ToString(); } } }

    /// <summary>Counts appends; <see cref="WaitForMore"/> waits for it to change.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Append(byte value)
    {
        lock (_gate)
        {
            _text.Append((char)value);   // Latin-1: one char per byte, whatever the guest sends
            if (_file is not null)
            {
                _file.WriteByte(value);
                if (value == (byte)'\n')
                {
                    _file.Flush();
                }
            }
            _version++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The text received since the previous <see cref="Take"/> (everything, the first time).</summary>
    public string Take()
    {
        lock (_gate)
        {
            string text = _text.ToString(_taken, _text.Length - _taken);
            _taken = _text.Length;
            return text;
        }
    }

    /// <summary>
    /// The complete lines (without their line ends) received since the previous take; the unfinished last line
    /// stays for later unless <paramref name="includePartial"/>.
    /// </summary>
    public IReadOnlyList<string> TakeLines(bool includePartial)
    {
        lock (_gate)
        {
            string pending = _text.ToString(_taken, _text.Length - _taken);
            int end = includePartial ? pending.Length : pending.LastIndexOf('\n') + 1;
            _taken += end;
            string lines = pending[..end];
            return end == 0 ? [] : (lines.EndsWith('\n') ? lines[..^1] : lines).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        }
    }

    /// <summary>Waits until more than <paramref name="seen"/> appends have happened or the time is up; true if they have.</summary>
    public bool WaitForMore(long seen, TimeSpan timeout)
    {
        lock (_gate)
        {
            return _version != seen || (Monitor.Wait(_gate, timeout) && _version != seen);
        }
    }

    /// <summary>
    /// The lines as they arrive, waiting in slices of <paramref name="slice"/>, until <paramref name="finished"/>
    /// (the rest, an unfinished line included, comes last) or <paramref name="cancelled"/> (Ctrl+C).
    /// </summary>
    public IEnumerable<string> StreamLines(Func<bool> finished, TimeSpan slice, Func<bool> cancelled)
    {
        while (!cancelled())
        {
            long seen = Version;
            bool done = finished();   // read before taking, so nothing written before the end is left behind
            foreach (string line in TakeLines(includePartial: done))
            {
                yield return line;
            }
            if (done)
            {
                yield break;
            }
            WaitForMore(seen, slice);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
        }
    }
}
