using System.Buffers.Binary;
using KvmPS.Commands;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;

namespace KvmPS.Tests.Kvm;

/// <summary>KVM_CREATE_GUEST_MEMFD and KVM_SET_USER_MEMORY_REGION2 (Linux 6.8, newer than the installed headers) on the real /dev/kvm.</summary>
public sealed class GuestMemfdTests : IDisposable
{
    /// <summary>mov word [0x3000], 0x4b56 ; mov ax, [0x3000] ; mov dx, 0x3f8 ; out dx, ax ; hlt (real mode, ds = 0).</summary>
    private static readonly byte[] s_guest = [0xC7, 0x06, 0x00, 0x30, 0x56, 0x4B, 0xA1, 0x00, 0x30, 0xBA, 0xF8, 0x03, 0xEF, 0xF4];

    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86CapabilityFact(KvmCapability.GuestMemfd)]
    public void AGuestRunsInASlotSetWithAGuestMemfd()
    {
        KvmVm vm = _session.CreateVm();
        KvmGuestMemfd memfd = KvmGuestMemfd.Create(vm, 0x20000);
        Assert.Contains(memfd, vm.Dependents<KvmGuestMemfd>());

        GuestMemoryRegion ram = vm.AddMemoryRegion(0, 0x10000, memfd, guestMemfdOffset: 0x10000);

        Assert.True(ram.Flags.HasFlag(MemoryRegionFlags.GuestMemfd));
        ram.Write(0x1000, s_guest);
        KvmVcpu vcpu = vm.CreateVcpu(0);
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(0x1000));
        var io = Assert.IsType<IoExit>(vcpu.Run(TimeSpan.FromSeconds(10)));
        Assert.Equal(0x4b56, BinaryPrimitives.ReadUInt16LittleEndian(io.Data));
        Assert.Equal([0x56, 0x4B], vm.ReadGuestMemory(0x3000, 2));   // shared memory: the guest wrote the anonymous mapping

        vm.RemoveMemoryRegion(ram);
        memfd.Dispose();
        Assert.True(memfd.IsRemoved);
        Assert.Empty(vm.Dependents<KvmGuestMemfd>());
    }

    [KvmX86CapabilityFact(KvmCapability.GuestMemfd)]
    public void AGuestMemfdServesOnlyItsVmWithinItsSize()
    {
        KvmVm vm = _session.CreateVm();
        KvmGuestMemfd memfd = KvmGuestMemfd.Create(vm, 0x10000);

        var other = Assert.Throws<KvmPSException>(() => _session.CreateVm().AddMemoryRegion(0, 0x10000, memfd));
        Assert.Equal("GuestMemfdOfAnotherVm", other.ErrorId);
        Assert.Contains("New-KvmGuestMemfd", CmdletAdvice.For(other.ErrorId), StringComparison.Ordinal);
        Assert.Equal("InvalidGuestMemfdRange", Assert.Throws<KvmPSException>(() => vm.AddMemoryRegion(0, 0x10000, memfd, 0x1000)).ErrorId);
        Assert.Equal("InvalidGuestMemfdRange", Assert.Throws<KvmPSException>(() => vm.AddMemoryRegion(0, 0x1000, memfd, 0x800)).ErrorId);
        Assert.Equal("InvalidGuestMemfdSize", Assert.Throws<KvmPSException>(() => KvmGuestMemfd.Create(vm, 0x1800)).ErrorId);
        Assert.Empty(vm.MemoryRegions);
    }
}
