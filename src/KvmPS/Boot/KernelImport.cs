using System.Text;
using KvmPS.Engine;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;

namespace KvmPS.Boot;

/// <summary>
/// Makes a VM ready to boot a multiboot test kernel: a PC machine (RAM from 0, irqchip and PIT, vCPUs) where the VM
/// lacks one, the devices test kernels expect (UART at 0x3f8, debug-exit at 0xf4, fw_cfg, the test device), each
/// vCPU's CPUID for the VM's CPU count, the kernel and its multiboot information in RAM, and vCPU 0 at the entry.
/// </summary>
public static class KernelImport
{
    /// <summary>The environment module's name in the module list (its string), as a runner's -initrd file would be.</summary>
    public const string EnvironmentModuleName = "environ";

    public static void Import(KvmVm vm, string path, MultibootImage image, string? append, IDictionary<string, string>? environment)
    {
        PcMachine.RequireX86(vm);
        GuestMemoryRegion ram = PcMachine.Ram(vm) ?? PcMachine.AddRam(vm, PcMachine.DefaultMemory);
        if (vm.Vcpus.Count == 0)
        {
            PcMachine.AddVcpus(vm, 1);
        }
        KvmVcpu[] vcpus = vm.Vcpus.OrderBy(v => v.Id).ToArray();
        if (vcpus.Length > 1 && !vm.HasIrqchip)
        {
            throw KvmPSException.InvalidOperation("SmpNeedsIrqchip",
                $"{vm} has {vcpus.Length} vCPUs but no in-kernel irqchip, so its application processors would start at the reset vector " +
                "instead of waiting for INIT/SIPI; the irqchip must be created before the vCPUs.");
        }

        // QEMU's multiboot loader passes "<kernel file> <append>" as the command line; test kernels take argv[0] from it.
        string cmdline = string.IsNullOrEmpty(append) ? path : $"{path} {append}";
        byte[] environ = EnvironmentText(vcpus.Length, ram.Size, environment);
        LoadedKernel kernel = KernelLoader.Load(vm, image, cmdline, [(EnvironmentModuleName, environ)], ram.Size);

        X86Cpuid.SetHostCpuid(vcpus);
        X86EntryState.Apply(vcpus[0], kernel);
        AddDevices(vm.Runner);
    }

    /// <summary>The largest image file read: test kernels are a few hundred KiB, and the whole file is parsed in memory.</summary>
    public const long MaxImageSize = 256L << 20;

    /// <summary>Reads and parses an image file, bounded before it is read.</summary>
    public static MultibootImage ReadImage(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new KvmPSException("KernelImageNotFound", ErrorKind.ObjectNotFound, $"There is no kernel image file at {path}.",
                recommendedAction: "Give the path of a multiboot ELF image (Resolve-Path checks it).");
        }
        if (file.Length > MaxImageSize)
        {
            throw KvmPSException.InvalidArgument("InvalidKernelImage", $"{path} is {file.Length} bytes; a kernel image is read whole and may be at most {MaxImageSize >> 20} MB.");
        }
        return MultibootImage.Parse(File.ReadAllBytes(path));
    }

    /// <summary>KEY=VALUE lines: NR_CPUS and MEMSIZE (in MB) from the VM, then the caller's entries, which win.</summary>
    public static byte[] EnvironmentText(int cpus, ulong ramSize, IDictionary<string, string>? environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["NR_CPUS"] = cpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MEMSIZE"] = (ramSize >> 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\n') || value.Contains('\n'))
            {
                throw KvmPSException.InvalidArgument("InvalidEnvironmentEntry",
                    $"Environment entry '{key}' cannot be a KEY=VALUE line: keys are non-empty without '=' or line breaks, values without line breaks.");
            }
            values[key] = value;
        }
        return Encoding.ASCII.GetBytes(string.Concat(values.Select(p => $"{p.Key}={p.Value}\n")));
    }

    /// <summary>The devices a test kernel talks to, each added unless a device already claims its ports.</summary>
    private static void AddDevices(VmRunner runner)
    {
        if (!runner.Bus.IsClaimed(Devices.Uart16550.Com1))
        {
            runner.AddSerialPort();
        }
        if (!runner.Bus.IsClaimed(Devices.DebugExit.DefaultPort))
        {
            runner.AddDebugExit();
        }
        if (!runner.Bus.IsClaimed(Devices.FwCfg.SelectorPort))
        {
            runner.AddFwCfg();
        }
        if (!runner.Bus.IsClaimed(Devices.TestDevice.ScratchPort))
        {
            runner.AddTestDevice();
        }
    }
}
