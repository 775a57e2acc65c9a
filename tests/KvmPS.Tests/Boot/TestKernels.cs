namespace KvmPS.Tests.Boot;

/// <summary>The kernels of tests/TestKernels, which the test project's build assembles into bin/.../TestKernels.</summary>
internal static class TestKernels
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestKernels");

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Directory, name + ".elf"));
}
