using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.X86;

/// <summary>KVM_GET_SUPPORTED_CPUID's E2BIG contract (api.txt 4.46), through the kernel double.</summary>
public sealed class CpuidDoubleTests
{
    private const int KernelEntries = 100;
    private const int EntrySize = 40;     // sizeof(struct kvm_cpuid_entry2)
    private const int EntriesOffset = 8;  // offsetof(struct kvm_cpuid2, entries)

    [Fact]
    public void GrowsTheBufferWhileTheKernelAnswersE2Big()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        var offered = new List<int>();
        kvm.On(KvmSystemIoctls.GetSupportedCpuid, argument =>
        {
            int nent = Marshal.ReadInt32(argument);
            offered.Add(nent);
            if (nent < KernelEntries)
            {
                return -Errno.E2BIG;   // the kernel leaves nent alone here
            }
            for (int i = 0; i < KernelEntries; i++)
            {
                Marshal.WriteInt32(argument, EntriesOffset + i * EntrySize, i);            // function
                Marshal.WriteInt32(argument, EntriesOffset + i * EntrySize + 16, 0x100 + i); // ebx
            }
            Marshal.WriteInt32(argument, KernelEntries);
            return 0;
        });
        using KvmSystem system = KvmSystem.Open(kernel.Kernel);

        IReadOnlyList<CpuidEntry> entries = X86Cpuid.GetSupported(system);

        Assert.Equal([64, 128], offered);
        Assert.Equal(KernelEntries, entries.Count);
        Assert.Equal(new CpuidEntry(99, 0, CpuidEntryFlags.None, 0, 0x163, 0, 0), entries[99]);
    }

    [Fact]
    public void OtherErrorsNameTheIoctl()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        kvm.On(KvmSystemIoctls.GetSupportedCpuid, _ => -Errno.ENOMEM);
        using KvmSystem system = KvmSystem.Open(kernel.Kernel);

        Assert.Equal("KVM_GET_SUPPORTED_CPUID.ENOMEM", Assert.Throws<KvmIoctlException>(() => X86Cpuid.GetSupported(system)).ErrorId);
    }

    [Fact]
    public void OtherArchitecturesHaveNoCpuid()
    {
        (KernelDouble kernel, _) = KvmDouble.Create(CpuArchitecture.Aarch64);
        using KvmSystem system = KvmSystem.Open(kernel.Kernel);

        Assert.Throws<IoctlUnavailableException>(() => X86Cpuid.GetSupported(system));
    }
}
