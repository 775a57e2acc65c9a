using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.Kvm.Exits;

namespace KvmPS.Tests.Interrupts;

/// <summary>Real-mode x86 guests that wait for an interrupt: 64 KiB of RAM from 0 (the IVT, the code at 0x1000, the stack below 0x10000).</summary>
internal static class InterruptGuests
{
    /// <summary>The port the interrupt handler writes <see cref="HandlerValue"/> to.</summary>
    public const ushort ReportPort = 0xe0;
    public const byte HandlerValue = 0x42;

    /// <summary>The port a guest writes once its interrupt controller is set up.</summary>
    public const ushort ReadyPort = 0xe1;
    public const byte PicVectorBase = 0x20;

    /// <summary>
    /// Programs the master PIC (ICW1 0x11, ICW2 vector base 0x20, ICW3 4, ICW4 1), unmasks only line
    /// <paramref name="irq"/>, then sti / l: hlt / jmp l. The handler of vector 0x20+irq does out 0xe0,0x42 and halts.
    /// </summary>
    public static byte[] PicWaiter(int irq) =>
    [
        0xfa,
        0xb0, 0x11, 0xe6, 0x20,
        0xb0, PicVectorBase, 0xe6, 0x21,
        0xb0, 0x04, 0xe6, 0x21,
        0xb0, 0x01, 0xe6, 0x21,
        0xb0, (byte)~(1 << irq), 0xe6, 0x21,
        0xfb,
        0xf4, 0xeb, 0xfd,
        .. Handler,
    ];

    /// <summary>sti / l: hlt / jmp l, then the handler: waits for any interrupt whose IVT entry points at the handler.</summary>
    public static byte[] Waiter() => [0xfb, 0xf4, 0xeb, 0xfd, .. Handler];

    /// <summary>
    /// Software-enables the LAPIC (it resets with SVR.enable clear, and then accepts no fixed interrupt), then
    /// <see cref="Waiter"/>: moves the LAPIC's MMIO page to 0xe0000 (IA32_APIC_BASE, MSR 0x1b: base | enable | BSP),
    /// which real mode can address, and writes SVR (offset 0xf0) = enable | spurious vector 0xff with a 32-bit store
    /// (KVM ignores LAPIC writes of other widths), then reports on <see cref="ReadyPort"/> (an exit) that it is ready.
    /// mov ecx,0x1b / mov eax,0xe0900 / xor edx,edx / wrmsr / mov ax,0xe000 / mov ds,ax / mov dword [0xf0],0x1ff / out 0xe1,al
    /// </summary>
    public static byte[] LapicWaiter() =>
    [
        0x66, 0xb9, 0x1b, 0x00, 0x00, 0x00,
        0x66, 0xb8, 0x00, 0x09, 0x0e, 0x00,
        0x66, 0x31, 0xd2,
        0x0f, 0x30,
        0xb8, 0x00, 0xe0,
        0x8e, 0xd8,
        0x66, 0xc7, 0x06, 0xf0, 0x00, 0xff, 0x01, 0x00, 0x00,
        0xe6, (byte)ReadyPort,
        .. Waiter(),
    ];

    /// <summary>mov al,0x42 / out 0xe0,al / l: hlt / jmp l</summary>
    private static readonly byte[] Handler = [0xb0, HandlerValue, 0xe6, (byte)ReportPort, 0xf4, 0xeb, 0xfd];

    /// <summary>mov al,0x20 / out 0x20,al (a non-specific EOI to the master PIC), then <see cref="Handler"/>.</summary>
    private static readonly byte[] AcknowledgingHandler = [0xb0, 0x20, 0xe6, 0x20, .. Handler];

    public static int AcknowledgingHandlerLength => AcknowledgingHandler.Length;

    /// <summary><see cref="PicWaiter"/> whose handler acknowledges the interrupt (EOI) before it reports.</summary>
    public static byte[] PicWaiterAcknowledging(int irq) => [.. PicWaiter(irq)[..^Handler.Length], .. AcknowledgingHandler];

    /// <summary>
    /// A VM with the in-kernel irqchip, 64 KiB of RAM, <paramref name="code"/> at 0x1000 whose last 7 bytes (or
    /// <paramref name="handlerLength"/>) are the handler, installed in the IVT for <paramref name="vector"/>, and one real-mode vCPU starting at the code.
    /// </summary>
    public static KvmVcpu Create(KvmSession session, byte[] code, byte vector, bool irqchip = true, int? handlerLength = null)
    {
        KvmVm vm = session.CreateVm();
        if (irqchip)
        {
            vm.CreateIrqchip();
        }
        vm.AddMemoryRegion(0, 0x10000);
        vm.WriteGuestMemory(EmbeddedGuest.LoadAddress, code);
        ushort handler = (ushort)(EmbeddedGuest.LoadAddress + (ulong)code.Length - (ulong)(handlerLength ?? Handler.Length));
        vm.WriteGuestMemory(vector * 4ul, [(byte)handler, (byte)(handler >> 8), 0, 0]);
        KvmVcpu vcpu = vm.CreateVcpu();
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(EmbeddedGuest.LoadAddress));
        return vcpu;
    }

    /// <summary>Runs the vCPU in the background until it exits; the guest halts in the kernel meanwhile (the in-kernel LAPIC handles HLT).</summary>
    public static Task<VcpuExit> RunInBackground(KvmVcpu vcpu) => Task.Run(() => vcpu.Run(TimeSpan.FromSeconds(5)));

    /// <summary>
    /// Waits until the guest has programmed its interrupt controller (<paramref name="ready"/>, read from the host),
    /// so that an interrupt raised now cannot be lost to the controller's initialization, and shows it has not exited.
    /// </summary>
    public static void AssertWaiting(Task<VcpuExit> run, Func<bool> ready)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!ready() && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }
        Thread.Sleep(50);
        Assert.False(run.IsCompleted, run.IsCompleted ? $"the guest exited before the interrupt: {run.Result}" : "");
        Assert.True(ready(), "the guest did not program its interrupt controller");
    }

    /// <summary>True once the guest unmasked exactly line <paramref name="irq"/> of the master PIC.</summary>
    public static bool PicProgrammed(KvmVm vm, int irq) => VmIrqchip.Get(vm, IrqchipId.PicMaster).Pic!.Imr == (byte)~(1 << irq);

    public static void AssertReported(Task<VcpuExit> run)
    {
        Assert.True(run.Wait(TimeSpan.FromSeconds(25)), "the guest did not wake up");
        var exit = Assert.IsType<IoExit>(run.Result);
        Assert.Equal((ReportPort, HandlerValue), (exit.Port, exit.Data[0]));
    }
}
