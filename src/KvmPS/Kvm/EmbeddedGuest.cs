using System.Text;
using KvmPS.Interop;
using KvmPS.Kvm.Exits;

namespace KvmPS.Kvm;

/// <summary>
/// A few bytes of x86 real-mode code that print a known line on the COM1 data port (0x3f8) one byte at a time and
/// halt: each byte is a KVM_EXIT_IO, the end a KVM_EXIT_HLT. Test-KvmHost boots it to prove a guest really runs.
/// </summary>
public static class EmbeddedGuest
{
    public const ulong LoadAddress = 0x1000;
    public const ushort SerialPort = 0x3f8;
    public const string Message = "KvmPS guest OK\n";

    /// <summary>
    /// mov dx,0x3f8 / mov si,msg / l: lodsb / test al,al / jz done / out dx,al / jmp l / done: hlt / msg: db ...,0
    /// </summary>
    public static byte[] Code
    {
        get
        {
            const int messageOffset = 15;
            ushort message = (ushort)(LoadAddress + messageOffset);
            byte[] code =
            [
                0xBA, 0xF8, 0x03,                           // mov dx, 0x3f8
                0xBE, (byte)message, (byte)(message >> 8),  // mov si, msg
                0xAC,                                       // l: lodsb
                0x84, 0xC0,                                 // test al, al
                0x74, 0x03,                                 // jz done
                0xEE,                                       // out dx, al
                0xEB, 0xF8,                                 // jmp l
                0xF4,                                       // done: hlt
            ];
            return [.. code, .. Encoding.ASCII.GetBytes(Message), 0];
        }
    }

    /// <summary>Registers a real-mode vCPU needs to start at <paramref name="entry"/> with flat segments at 0.</summary>
    public static IReadOnlyDictionary<string, ulong> RealModeEntry(ulong entry) => new Dictionary<string, ulong>
    {
        ["cs.base"] = 0,
        ["cs.selector"] = 0,
        ["ds.base"] = 0,
        ["ds.selector"] = 0,
        ["es.base"] = 0,
        ["es.selector"] = 0,
        ["ss.base"] = 0,
        ["ss.selector"] = 0,
        ["rip"] = entry,
        ["rflags"] = 0x2,
        ["rsp"] = 0,
    };

    /// <summary>Loads the code into a one-page region of <paramref name="vm"/>, runs one vCPU to HLT and returns what it printed.</summary>
    public static GuestRun Boot(KvmVm vm, int maxExits = 1000)
    {
        if (vm.Kernel.Architecture != CpuArchitecture.X86_64)
        {
            throw new KvmPSException("EmbeddedGuestNeedsX86", ErrorKind.NotImplemented,
                $"The embedded guest is x86 real-mode code; this host is {vm.Kernel.Architecture.UnameName()}.");
        }
        GuestMemoryRegion region = vm.AddMemoryRegion(LoadAddress, (ulong)vm.Kernel.PageSize);
        region.Write(LoadAddress, Code);
        KvmVcpu vcpu = vm.CreateVcpu();
        vcpu.SetRegisters(RealModeEntry(LoadAddress));
        return RunToHalt(vcpu, maxExits);
    }

    /// <summary>Runs until HLT (or any exit other than port output), collecting bytes written to the serial port.</summary>
    public static GuestRun RunToHalt(KvmVcpu vcpu, int maxExits)
    {
        var output = new StringBuilder();
        var exits = new List<VcpuExit>();
        for (int i = 0; i < maxExits; i++)
        {
            VcpuExit exit = vcpu.Run();
            exits.Add(exit);
            if (exit is IoExit { Direction: IoDirection.Out, Port: SerialPort } io)
            {
                output.Append(Encoding.ASCII.GetString(io.Data));
                continue;
            }
            break;
        }
        return new GuestRun(output.ToString(), exits);
    }
}

/// <summary>What a guest printed and every exit on the way.</summary>
public sealed record GuestRun(string Output, IReadOnlyList<VcpuExit> Exits)
{
    public VcpuExit? FinalExit => Exits.Count == 0 ? null : Exits[^1];
}
