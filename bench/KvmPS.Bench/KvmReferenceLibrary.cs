using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace KvmPS.Bench;

/// <summary>
/// bench/c/kvm_reference.c: compiled with gcc in the same run as the benchmarks, loaded with NativeLibrary and
/// called through function pointers. Its functions return -errno on failure, which become exceptions here.
/// </summary>
internal sealed unsafe class KvmReferenceLibrary : IDisposable
{
    private readonly nint _library;
    private readonly delegate* unmanaged<int> _setup;
    private readonly delegate* unmanaged<int, long> _ioExitRoundTrips;
    private readonly delegate* unmanaged<int, long> _checkExtension;
    private readonly delegate* unmanaged<int, long> _getRegs;
    private readonly delegate* unmanaged<int, int> _exitLoopSetup;
    private readonly delegate* unmanaged<long> _exitLoopRun;
    private readonly delegate* unmanaged<void> _teardown;
    private readonly delegate* unmanaged<nint> _failedStep;

    private KvmReferenceLibrary(nint library)
    {
        _library = library;
        _setup = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "ref_setup");
        _ioExitRoundTrips = (delegate* unmanaged<int, long>)NativeLibrary.GetExport(library, "ref_io_exit_roundtrips");
        _checkExtension = (delegate* unmanaged<int, long>)NativeLibrary.GetExport(library, "ref_check_extension");
        _getRegs = (delegate* unmanaged<int, long>)NativeLibrary.GetExport(library, "ref_get_regs");
        _exitLoopSetup = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(library, "ref_exit_loop_setup");
        _exitLoopRun = (delegate* unmanaged<long>)NativeLibrary.GetExport(library, "ref_exit_loop_run");
        _teardown = (delegate* unmanaged<void>)NativeLibrary.GetExport(library, "ref_teardown");
        _failedStep = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "ref_failed_step");
    }

    public static string RepositoryRoot { get; } =
        typeof(KvmReferenceLibrary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string SourcePath => Path.Combine(RepositoryRoot, "bench", "c", "kvm_reference.c");

    /// <summary>A fixed path, so BenchmarkDotNet's child processes find what the parent compiled.</summary>
    public static string LibraryPath => Path.Combine(RepositoryRoot, "bench", "KvmPS.Bench", "obj", "native", "libkvm_reference.so");

    /// <summary>gcc -O2 -shared -fPIC: builds <see cref="LibraryPath"/> from <see cref="SourcePath"/>.</summary>
    public static void Compile()
    {
        if (!File.Exists(SourcePath))
        {
            throw new FileNotFoundException($"The C reference source is missing: {SourcePath}.", SourcePath);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(LibraryPath)!);
        var gcc = new ProcessStartInfo("gcc") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { "-O2", "-Wall", "-Wextra", "-shared", "-fPIC", "-o", LibraryPath, SourcePath })
        {
            gcc.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(gcc)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "gcc was not found on PATH; the benchmarks compile their C reference in the same run. Install gcc and libc6-dev (apt-get install gcc libc6-dev).", e);
        }
        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            string messages = (output.Result + errors).Trim();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"gcc failed (exit code {process.ExitCode}) compiling {SourcePath}:{Environment.NewLine}{messages}");
            }
            if (messages.Length > 0)
            {
                Console.WriteLine(messages);
            }
        }
    }

    /// <summary>Loads the compiled library, compiling it first if this process finds none.</summary>
    public static KvmReferenceLibrary Load()
    {
        if (!File.Exists(LibraryPath))
        {
            Compile();
        }
        return new KvmReferenceLibrary(NativeLibrary.Load(LibraryPath));
    }

    /// <summary>VM, guest page, vCPU and registers; the vCPU's later ioctls must come from this same thread.</summary>
    public void Setup() => Check("ref_setup", _setup());

    public long IoExitRoundTrips(int count) => Check("ref_io_exit_roundtrips", _ioExitRoundTrips(count));

    /// <summary>A fresh VM for the engine comparison: <paramref name="exits"/> OUTs to port 0xe0, then one to 0xf4.</summary>
    public void ExitLoopSetup(int exits) => Check("ref_exit_loop_setup", _exitLoopSetup(exits));

    /// <summary>Runs that guest to its debug-exit write, handling each exit as the engine does; returns the exits.</summary>
    public long ExitLoopRun() => Check("ref_exit_loop_run", _exitLoopRun());

    public long CheckExtension(int count) => Check("ref_check_extension", _checkExtension(count));

    public long GetRegs(int count) => Check("ref_get_regs", _getRegs(count));

    private long Check(string function, long result)
    {
        if (result < 0)
        {
            int errno = (int)-result;
            throw new InvalidOperationException(
                $"{function} failed at {Marshal.PtrToStringUTF8(_failedStep())}: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
        }
        return result;
    }

    public void Dispose()
    {
        _teardown();
        NativeLibrary.Free(_library);
    }
}
