using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Boot;

/// <summary>
/// The verdict of a test kernel. The exit statuses follow QEMU's isa-debug-exit convention that multiboot test
/// kernels use: a guest write of v gives (v &lt;&lt; 1) | 1, so exit(0) is 1 (Pass), exit(1) is 3 (Fail) and exit(38)
/// is 77 (Skip).
/// </summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum TestKernelStatus
{
    Pass,
    Fail,
    Skip,
    Timeout,
    Error,
}
