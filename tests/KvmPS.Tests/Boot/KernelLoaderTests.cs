using KvmPS.Boot;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;

namespace KvmPS.Tests.Boot;

public sealed class KernelLoaderTests : IDisposable
{
    private const ulong Ram = 16 << 20;
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    private static (string, byte[])[] Environment(string line) =>
        [MultibootInfo.EnvironmentModule([new("PATH", "/bin"), new(line.Split('=')[0], line.Split('=', 2)[1])])];

    [TestKernelFact]
    public void PlacesTheBootDataOnThePagesAfterTheKernel()
    {
        MultibootImage image = MultibootImage.Parse(TestKernels.Read("hello"));

        LoadedKernel plan = KernelLoader.Plan(image, "hello", Environment("A=1"), Ram);

        Assert.Equal(0u, plan.GdtAddress % 4096);
        Assert.True(plan.GdtAddress >= image.EndAddress);
        Assert.Equal(plan.GdtAddress + 4096u, plan.MultibootInfoAddress);
        Assert.True(plan.BootDataEnd <= Ram);
        Assert.Equal(image.Entry, plan.Entry);
    }

    [TestKernelFact]
    public void RefusesSegmentsOutsideRam()
    {
        MultibootImage image = MultibootImage.Parse(TestKernels.Read("hello"));   // loads at 4 MiB

        var error = Assert.Throws<KvmPSException>(() => KernelLoader.Plan(image, "", [], 4 << 20));

        Assert.Equal("KernelOutsideRam", error.ErrorId);
        Assert.Contains("0x400000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesBootDataThatDoesNotFit()
    {
        MultibootImage image = MultibootImage.Parse(new ElfImageBuilder { Segments = [(0x10_0000, new byte[16], 0xF_0000)] }.Build());

        var error = Assert.Throws<KvmPSException>(() => KernelLoader.Plan(image, "", [("big", new byte[0x2_0000])], 0x20_0000));

        Assert.Equal("KernelOutsideRam", error.ErrorId);
        Assert.Contains("multiboot information", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesSegmentsInTheReservedHole()
    {
        MultibootImage image = MultibootImage.Parse(new ElfImageBuilder { Entry = 0xA_0000, Segments = [(0xA_0000, new byte[16], 0x1000)] }.Build());
        Assert.Equal("KernelOutsideRam", Assert.Throws<KvmPSException>(() => KernelLoader.Plan(image, "", [], Ram)).ErrorId);
    }

    [TestKernelFact(realKvm: true)]
    public void AFailedLoadMapsNothing()
    {
        KvmVm vm = _session.CreateVm();
        MultibootImage image = MultibootImage.Parse(TestKernels.Read("hello"));

        Assert.Throws<KvmPSException>(() => KernelLoader.Load(vm, image, "", [], 4 << 20));

        Assert.Empty(vm.MemoryRegions);
    }

    [TestKernelFact(realKvm: true)]
    public void WritesSegmentsZeroesBssAndUsesAnExistingRegion()
    {
        KvmVm vm = _session.CreateVm();
        GuestMemoryRegion ram = vm.AddMemoryRegion(0, Ram);
        MultibootImage image = MultibootImage.Parse(TestKernels.Read("longmode"));   // page tables in .bss
        LoadSegment segment = image.Segments.First(s => s.MemorySize > s.FileSize);
        ram.Write(segment.PhysicalAddress + segment.FileSize, [0xAA, 0xBB]);

        LoadedKernel kernel = KernelLoader.Load(vm, image, "x", [], Ram);

        Assert.Single(vm.MemoryRegions);
        Assert.Equal(segment.Data, vm.ReadGuestMemory(segment.PhysicalAddress, (int)segment.FileSize));
        Assert.Equal(new byte[2], vm.ReadGuestMemory(segment.PhysicalAddress + segment.FileSize, 2));
        Assert.Equal(kernel.Info.Bytes, vm.ReadGuestMemory(kernel.MultibootInfoAddress, kernel.Info.Bytes.Length));
    }

    [TestKernelFact(realKvm: true)]
    public void TheEntryStateIsProtectedModeWithTheMultibootRegisters()
    {
        KvmVm vm = _session.CreateVm();
        LoadedKernel kernel = KernelLoader.Load(vm, MultibootImage.Parse(TestKernels.Read("hello")), "", [], Ram);
        KvmVcpu vcpu = vm.CreateVcpu();

        X86EntryState.Apply(vcpu, kernel);

        var registers = vcpu.QueryRegisters(null, null).ToDictionary(r => r.Name, r => r.Value);
        Assert.Equal(0x11ul, registers["cr0"]);
        Assert.Equal(0x2ul, registers["rflags"]);
        Assert.Equal(0x2BADB002ul, registers["rax"]);
        Assert.Equal(kernel.MultibootInfoAddress, registers["rbx"]);
        Assert.Equal(kernel.Entry, registers["rip"]);
        Assert.Equal(0xFFFF_FFFFul, registers["cs.limit"]);
        Assert.Equal(1ul, registers["cs.db"]);
        Assert.Equal(0xBul, registers["cs.type"]);
        Assert.Equal(3ul, registers["ds.type"]);
        Assert.Equal(kernel.GdtAddress, registers["gdt.base"]);
        Assert.Equal(23ul, registers["gdt.limit"]);
    }

    private KernelRun Boot(string kernel, string cmdline = "", (string, byte[])[]? modules = null, ushort cpus = 1, bool cpuid = false, TimeSpan? timeout = null)
    {
        KvmVm vm = _session.CreateVm();
        LoadedKernel loaded = KernelLoader.Load(vm, MultibootImage.Parse(TestKernels.Read(kernel)), cmdline, modules ?? [], Ram);
        KvmVcpu vcpu = vm.CreateVcpu();
        if (cpuid)
        {
            X86Cpuid.SetHostCpuid(vcpu, cpus);
        }
        X86EntryState.Apply(vcpu, loaded.Entry, loaded.MultibootInfoAddress);
        return KernelStepper.Run(vcpu, cpus, timeout: timeout);
    }

    [TestKernelFact(realKvm: true)]
    public void HelloPrintsPassAndExitsZero()
    {
        KernelRun run = Boot("hello");
        Assert.Equal("PASS: hello\n", run.Output);
        Assert.Equal(0, run.DebugExitValue);
    }

    [TestKernelFact(realKvm: true)]
    public void FailAndSkipExitWithTheirValues()
    {
        KernelRun fail = Boot("fail");
        Assert.Equal(("FAIL: deliberate\n", 1), (fail.Output, fail.DebugExitValue));
        KernelRun skip = Boot("skip");
        Assert.Equal(("SKIP: deliberate\n", 38), (skip.Output, skip.DebugExitValue));
    }

    [TestKernelFact(realKvm: true)]
    public void EnvFindsTheExpectedLineInTheModule()
    {
        KernelRun pass = Boot("env", "env expect=KVMPS_TEST=42", Environment("KVMPS_TEST=42"));
        Assert.Equal((0, "env: found KVMPS_TEST=42\nPASS: env\n"), (pass.DebugExitValue, pass.Output));

        KernelRun fail = Boot("env", "env expect=KVMPS_TEST=4", Environment("KVMPS_TEST=42"));
        Assert.Equal(1, fail.DebugExitValue);
        Assert.StartsWith("FAIL: env:", fail.Output, StringComparison.Ordinal);

        Assert.Equal(1, Boot("env", "env").DebugExitValue);
    }

    [TestKernelFact(realKvm: true)]
    public void FwCfgComparesTheCpuCountWithTheCommandLine()
    {
        KernelRun pass = Boot("fwcfg", "cpus=3", cpus: 3);
        Assert.Equal((0, "fw_cfg cpus=3\nPASS: fwcfg\n"), (pass.DebugExitValue, pass.Output));
        Assert.Equal(1, Boot("fwcfg", "cpus=2", cpus: 3).DebugExitValue);
        Assert.Equal(0, Boot("fwcfg", "", cpus: 1).DebugExitValue);
    }

    [TestKernelTheory(realKvm: true)]
    [InlineData("longmode")]
    [InlineData("longmode64")]
    public void LongModePrintsFrom64BitCode(string kernel)
    {
        KernelRun run = Boot(kernel, cpuid: true);
        Assert.Equal(("PASS: long mode\n", 0), (run.Output, run.DebugExitValue));
    }

    [TestKernelFact(realKvm: true)]
    public void TripleFaultShutsTheVcpuDown()
    {
        KernelRun run = Boot("triplefault");
        Assert.True(run.Last.Reason == KvmExitReason.Shutdown, $"expected KVM_EXIT_SHUTDOWN, got {run.Last} after {run.Exits} exits");
    }

    [TestKernelFact(realKvm: true)]
    public void SpinNeverExitsUntilTheTimeoutKicksIt()
    {
        KernelRun run = Boot("spin", timeout: TimeSpan.FromMilliseconds(300));
        Assert.Equal((KvmExitReason.Intr, "", 1), (run.Last.Reason, run.Output, run.Exits));
    }
}
