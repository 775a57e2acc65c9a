using KvmPS.Boot;
using KvmPS.Interop;
using KvmPS.Kvm;
using Xunit.Abstractions;

namespace KvmPS.Tests.Boot;

/// <summary>Invoke-KvmTestKernel's object model: the project's kernels booted on the engine, verdict by verdict.</summary>
public sealed class TestKernelRunTests(ITestOutputHelper output)
{
    private static TestKernelOptions Options(string name) => new(Path.Combine(TestKernels.Directory, name + ".elf"));

    private TestKernelResult Run(TestKernelOptions options)
    {
        using var session = new KvmSession(KernelInterface.Host);
        TestKernelResult result = TestKernelRun.Run(session, options);
        output.WriteLine($"{result}: {result.Duration.TotalMilliseconds:F1} ms, reason {result.Reason ?? "-"}, output {result.Output}");
        Assert.Empty(session.Vms);   // the kernel's VM is gone whatever happened
        return result;
    }

    [TestKernelTheory(realKvm: true)]
    [InlineData("hello", TestKernelStatus.Pass, 1)]
    [InlineData("fail", TestKernelStatus.Fail, 3)]
    [InlineData("skip", TestKernelStatus.Skip, 77)]
    [InlineData("longmode", TestKernelStatus.Pass, 1)]
    [InlineData("longmode64", TestKernelStatus.Pass, 1)]
    public void AKernelsExitStatusGivesItsVerdict(string kernel, TestKernelStatus status, int exitStatus)
    {
        TestKernelResult result = Run(Options(kernel));
        Assert.Equal(status, result.Status);
        Assert.Equal(exitStatus, result.ExitStatus);
        Assert.Null(result.Reason);
        Assert.Equal(1, result.PassCount + result.FailCount + result.SkipCount);
    }

    [TestKernelFact(realKvm: true)]
    public void TheCommandLineStartsWithTheImagePathAndTheEnvironmentHasTheVmsSizes()
    {
        Assert.Equal(TestKernelStatus.Pass, Run(Options("env") with { Append = "expect=NR_CPUS=2", Smp = 2 }).Status);
        Assert.Equal(TestKernelStatus.Pass, Run(Options("env") with { Append = "expect=MEMSIZE=32", Memory = 32ul << 20 }).Status);
        Assert.Equal(TestKernelStatus.Pass, Run(Options("env") with
        {
            Append = "expect=NR_CPUS=7",
            Environment = new Dictionary<string, string> { ["NR_CPUS"] = "7" },
        }).Status);
    }

    [TestKernelFact(realKvm: true)]
    public void ApplicationProcessorsStartedByTheKernelReportIn()
    {
        TestKernelResult result = Run(Options("smp") with { Smp = 3, Timeout = TimeSpan.FromSeconds(30) });
        Assert.Equal(TestKernelStatus.Pass, result.Status);
        Assert.Contains("PASS: smp cpus=3", result.Output);
    }

    [TestKernelFact(realKvm: true)]
    public void ASpinningKernelTimesOutWithinTheTimeoutPlus100Ms()
    {
        TestKernelResult result = Run(Options("spin") with { Timeout = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(TestKernelStatus.Timeout, result.Status);
        Assert.Null(result.ExitStatus);
        Assert.InRange(result.RunDuration, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(400));
    }

    [TestKernelFact(realKvm: true)]
    public void ATripleFaultIsAnErrorWithTheReason()
    {
        TestKernelResult result = Run(Options("triplefault"));
        Assert.Equal(TestKernelStatus.Error, result.Status);
        Assert.Contains("KVM_EXIT_SHUTDOWN", result.Reason);
    }

    [TestKernelFact(realKvm: true)]
    public void CancellingStopsTheKernelAndRemovesItsVm()
    {
        using var session = new KvmSession(KernelInterface.Host);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.Throws<OperationCanceledException>(() => TestKernelRun.Run(session, Options("spin"), cancel.Token));
        Assert.Empty(session.Vms);
    }

    [KvmX86Fact]
    public void AMalformedImageFailsBeforeAnyVmExists()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1]);
            using var session = new KvmSession(KernelInterface.Host);
            var error = Assert.Throws<KvmPSException>(() => TestKernelRun.Run(session, new TestKernelOptions(path)));
            Assert.Equal("InvalidKernelImage", error.ErrorId);
            Assert.Empty(session.Vms);
            Assert.Equal("KernelImageNotFound", Assert.Throws<KvmPSException>(() => TestKernelRun.Run(session, new TestKernelOptions(path + ".missing"))).ErrorId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ExitStatusesMapToVerdicts()
    {
        Assert.Equal(TestKernelStatus.Pass, TestKernelResult.StatusFor(1));
        Assert.Equal(TestKernelStatus.Fail, TestKernelResult.StatusFor(3));
        Assert.Equal(TestKernelStatus.Skip, TestKernelResult.StatusFor(77));
        Assert.Equal(TestKernelStatus.Fail, TestKernelResult.StatusFor(5));
    }

    [Fact]
    public void TheEnvironmentHoldsTheVmsSizesThenTheCallersEntries()
    {
        string text = System.Text.Encoding.ASCII.GetString(KernelImport.EnvironmentText(2, 64ul << 20,
            new Dictionary<string, string> { ["MEMSIZE"] = "1", ["TEST_DEVICE"] = "0" }));
        Assert.Equal("NR_CPUS=2\nMEMSIZE=1\nTEST_DEVICE=0\n", text);
        Assert.Equal("InvalidEnvironmentEntry", Assert.Throws<KvmPSException>(() =>
            KernelImport.EnvironmentText(1, 1ul << 20, new Dictionary<string, string> { ["A=B"] = "c" })).ErrorId);
        Assert.Equal("InvalidEnvironmentEntry", Assert.Throws<KvmPSException>(() =>
            KernelImport.EnvironmentText(1, 1ul << 20, new Dictionary<string, string> { ["A"] = "two\nlines" })).ErrorId);
    }

    [Fact]
    public void ReportLinesAreCountedByPrefixIgnoringCarriageReturns()
    {
        var result = new TestKernelResult
        {
            Path = "k.elf",
            Status = TestKernelStatus.Fail,
            Output = "PASS: a\r\nFAIL: b\r\nPASS: c\r\nSKIP: d\r\nSUMMARY: 4 tests\r\n",
            Duration = TimeSpan.Zero,
        };
        Assert.Equal(["PASS: a", "FAIL: b", "PASS: c", "SKIP: d", "SUMMARY: 4 tests"], result.Lines);
        Assert.Equal((2, 1, 1), (result.PassCount, result.FailCount, result.SkipCount));
    }
}
