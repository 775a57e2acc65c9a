using System.Text;
using KvmPS.Kvm;

namespace KvmPS.Tests.Engine;

/// <summary>Tiny x86 real-mode guests for the engine tests, loaded at <see cref="EmbeddedGuest.LoadAddress"/>.</summary>
internal static class EngineGuests
{
    public const string Line = "hello from the engine\n";

    /// <summary>
    /// Prints <see cref="Line"/> on COM1, polling LSR.THRE before each byte, then writes 3 to the debug-exit port 0xf4
    /// (32-bit) and halts: mov si,msg / l: lodsb / test al,al / jz done / mov ah,al / w: mov dx,0x3fd / in al,dx /
    /// test al,0x20 / jz w / mov dx,0x3f8 / mov al,ah / out dx,al / jmp l / done: mov dx,0xf4 / mov eax,3 / out dx,eax / hlt
    /// </summary>
    public static byte[] PrintThenDebugExit()
    {
        byte[] code =
        [
            0xbe, 0x00, 0x00, 0xac, 0x84, 0xc0, 0x74, 0x12, 0x88, 0xc4, 0xba, 0xfd,
            0x03, 0xec, 0xa8, 0x20, 0x74, 0xf8, 0xba, 0xf8, 0x03, 0x88, 0xe0, 0xee,
            0xeb, 0xe9, 0xba, 0xf4, 0x00, 0x66, 0xb8, 0x03, 0x00, 0x00, 0x00, 0x66,
            0xef, 0xf4,
        ];
        ushort message = (ushort)(EmbeddedGuest.LoadAddress + (ulong)code.Length);
        code[1] = (byte)message;
        code[2] = (byte)(message >> 8);
        return [.. code, .. Encoding.ASCII.GetBytes(Line), 0];
    }

    /// <summary>mov dx,0xe0 / mov cx,count / l: out dx,al / loop l / mov dx,0xf4 / out dx,al / hlt: count port exits, then debug-exit.</summary>
    public static byte[] OutLoop(ushort count) => [0xba, 0xe0, 0x00, 0xb9, (byte)count, (byte)(count >> 8), 0xee, 0xe2, 0xfd, 0xba, 0xf4, 0x00, 0xee, 0xf4];

    /// <summary>l: jmp l</summary>
    public static readonly byte[] Spin = [0xeb, 0xfe];

    /// <summary>hlt</summary>
    public static readonly byte[] Halt = [0xf4];

    /// <summary>int3: run with <see cref="ProtectedModeWithoutIdt"/>, the #BP, the #GP and the #DF find no IDT entry: a triple fault.</summary>
    public static readonly byte[] TripleFault = [0xcc];

    /// <summary>32-bit protected mode (no paging), flat code at <paramref name="entry"/>, and an empty IDT (limit 0).</summary>
    public static IReadOnlyDictionary<string, ulong> ProtectedModeWithoutIdt(ulong entry)
    {
        var registers = new Dictionary<string, ulong>
        {
            ["cr0"] = 0x11,   // PE, ET
            ["rip"] = entry,
            ["rflags"] = 0x2,
            ["idt.base"] = 0,
            ["idt.limit"] = 0,
        };
        foreach (string segment in new[] { "cs", "ds", "es", "ss" })
        {
            registers[$"{segment}.base"] = 0;
            registers[$"{segment}.limit"] = 0xffffffff;
            registers[$"{segment}.selector"] = segment == "cs" ? 0x8u : 0x10u;
            registers[$"{segment}.type"] = segment == "cs" ? 0xbu : 0x3u;
            registers[$"{segment}.present"] = 1;
            registers[$"{segment}.s"] = 1;
            registers[$"{segment}.db"] = 1;
            registers[$"{segment}.g"] = 1;
        }
        return registers;
    }

    /// <summary>A VM with one page of <paramref name="code"/> at the load address and <paramref name="vcpus"/> vCPUs all starting there.</summary>
    public static KvmVm Create(KvmSession session, byte[] code, int vcpus = 1)
    {
        KvmVm vm = session.CreateVm();
        vm.AddMemoryRegion(EmbeddedGuest.LoadAddress, (ulong)Environment.SystemPageSize);
        vm.WriteGuestMemory(EmbeddedGuest.LoadAddress, code);
        for (int i = 0; i < vcpus; i++)
        {
            vm.CreateVcpu().SetRegisters(EmbeddedGuest.RealModeEntry(EmbeddedGuest.LoadAddress));
        }
        return vm;
    }
}
