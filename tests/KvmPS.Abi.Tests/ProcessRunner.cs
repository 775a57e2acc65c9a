using System.Diagnostics;

namespace KvmPS.Abi.Tests;

internal static class ProcessRunner
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    public static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> arguments, string? stdin)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Untranslated compiler diagnostics, so the error parser sees "error:".
        start.Environment["LC_ALL"] = "C";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(" ", arguments)} did not finish within {s_timeout.TotalSeconds} s.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
