using KvmPS.Interop;

namespace KvmPS.Kvm.X86;

/// <summary>The check of x86-only operations whose ioctl number and struct every architecture's headers define.</summary>
internal static class X86Only
{
    public static void Require(KvmVm vm, string what)
    {
        if (vm.Kernel.Architecture != CpuArchitecture.X86_64)
        {
            throw new KvmPSException("NotX86", ErrorKind.NotImplemented,
                $"{char.ToUpperInvariant(what[0])}{what[1..]} is implemented for x86_64 only; this VM runs on {vm.Kernel.Architecture.UnameName()}.");
        }
    }
}
