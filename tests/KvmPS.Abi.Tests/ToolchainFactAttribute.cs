using KvmPS.Interop;
using Xunit;

namespace KvmPS.Abi.Tests;

/// <summary>
/// A fact that needs the compiler and kernel headers of <paramref name="arch"/>. Without them it is skipped
/// with the Debian packages to install, except under CI=true, where it runs and fails: CI must install them.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolchainFactAttribute : FactAttribute
{
    public ToolchainFactAttribute(CpuArchitecture arch)
    {
        ProbeToolchain toolchain = ProbeToolchain.For(arch);
        if (!toolchain.IsAvailable && !ProbeToolchain.IsCi)
        {
            Skip = toolchain.Problem;
        }
    }
}
