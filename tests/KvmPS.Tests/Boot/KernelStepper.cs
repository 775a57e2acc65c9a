using System.Text;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;

namespace KvmPS.Tests.Boot;

internal sealed record KernelRun(string Output, int? DebugExitValue, VcpuExit Last, int Exits);

/// <summary>
/// Runs a test kernel exit by exit and plays its devices in the test itself (the engine comes separately): the
/// UART's data and line-status ports, the debug-exit port and fw_cfg's selector and data ports.
/// </summary>
internal static class KernelStepper
{
    private const ushort Com1 = 0x3F8;
    private const ushort Com1Lsr = 0x3FD;
    private const ushort DebugExit = 0xF4;
    private const ushort FwCfgSelector = 0x510;
    private const ushort FwCfgData = 0x511;
    private const ushort FwCfgNbCpus = 0x05;

    public static KernelRun Run(KvmVcpu vcpu, ushort cpuCount = 1, int maxExits = 10_000, TimeSpan? timeout = null)
    {
        var output = new StringBuilder();
        byte[]? pendingRead = null;
        ushort selector = 0;
        int position = 0;
        VcpuExit exit = null!;
        for (int i = 1; i <= maxExits; i++)
        {
            exit = vcpu.RunOnce(pendingRead, timeout: timeout ?? TimeSpan.FromSeconds(30));
            pendingRead = null;
            if (exit is not IoExit io)
            {
                return new KernelRun(output.ToString(), null, exit, i);
            }
            switch (io.Port, io.Direction)
            {
                case (Com1, IoDirection.Out):
                    output.Append(Encoding.ASCII.GetString(io.Data));
                    break;
                case (Com1Lsr, IoDirection.In):
                    pendingRead = [0x60];   // transmitter holding register and shift register empty
                    break;
                case (DebugExit, IoDirection.Out):
                    return new KernelRun(output.ToString(), io.Data[0], exit, i);
                case (FwCfgSelector, IoDirection.Out):
                    selector = BitConverter.ToUInt16(io.Data);
                    position = 0;
                    break;
                case (FwCfgData, IoDirection.In):
                    byte[] item = selector == FwCfgNbCpus ? BitConverter.GetBytes(cpuCount) : [];
                    pendingRead = [position < item.Length ? item[position] : (byte)0];
                    position++;
                    break;
                case (_, IoDirection.In):
                    pendingRead = new byte[io.Size * (int)io.Count];
                    break;
            }
        }
        return new KernelRun(output.ToString(), null, exit, maxExits);
    }
}
