namespace KvmPS.Tests.Boot;

/// <summary>The kernels of tests/TestKernels, which the test project's build assembles into bin/.../TestKernels.</summary>
internal static class TestKernels
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestKernels");

    /// <summary>Why the kernels are missing (build.sh skips them without an i386-capable gcc and ld), or null.</summary>
    public static string? Unavailable => File.Exists(Path.Combine(Directory, "hello.elf"))
        ? null
        : $"needs the test kernels in {Directory}: tests/TestKernels/build.sh builds them with gcc and ld (binutils) on x86_64";

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Directory, name + ".elf"));
}

/// <summary>A test that reads the built test kernels and, with <see cref="RealKvm"/>, boots them on the real x86 /dev/kvm.</summary>
public sealed class TestKernelFactAttribute : FactAttribute
{
    public TestKernelFactAttribute(bool realKvm = false)
    {
        Skip = TestKernels.Unavailable ?? (realKvm ? new KvmX86FactAttribute().Skip : null);
    }
}

/// <summary>The data-driven form of <see cref="TestKernelFactAttribute"/>.</summary>
public sealed class TestKernelTheoryAttribute : TheoryAttribute
{
    public TestKernelTheoryAttribute(bool realKvm = false)
    {
        Skip = TestKernels.Unavailable ?? (realKvm ? new KvmX86FactAttribute().Skip : null);
    }
}
