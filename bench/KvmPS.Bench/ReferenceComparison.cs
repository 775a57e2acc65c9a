using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace KvmPS.Bench;

/// <summary>
/// Base of every benchmark class: the C reference is the baseline, so BenchmarkDotNet's Ratio column is
/// KvmPS time / C time. Both guests are set up outside the measured methods, and each method does
/// <see cref="Operations"/> operations per invocation.
/// </summary>
[MemoryDiagnoser]
public abstract class ReferenceComparison
{
    protected const int Operations = 1000;

    private KvmReferenceLibrary? _reference;
    private SpinningGuest? _guest;

    private protected KvmReferenceLibrary Reference => _reference!;
    private protected SpinningGuest Guest => _guest!;

    [GlobalSetup]
    public void Setup()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException($"The benchmark guest is x86 real-mode code; this process is {RuntimeInformation.ProcessArchitecture}.");
        }
        _reference = KvmReferenceLibrary.Load();
        _reference.Setup();
        _guest = SpinningGuest.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _guest?.Dispose();
        _reference?.Dispose();
    }
}
