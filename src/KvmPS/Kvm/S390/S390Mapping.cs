using KvmPS.Interop;

namespace KvmPS.Kvm.S390;

/// <summary>
/// One KVM_S390_UCAS_MAP of a user-controlled VM's vCPU: host memory at <see cref="UserAddress"/> seen by the vCPU at
/// <see cref="VcpuAddress"/>. When KvmPS allocated the host memory it owns it and releases it on removal or with the VM.
/// </summary>
public sealed class S390Mapping : IDisposable
{
    private readonly MemoryMapping? _backing;

    internal S390Mapping(KvmVcpu vcpu, ulong userAddress, ulong vcpuAddress, ulong length, MemoryMapping? backing)
    {
        Vcpu = vcpu;
        UserAddress = userAddress;
        VcpuAddress = vcpuAddress;
        Length = length;
        _backing = backing;
    }

    public KvmVcpu Vcpu { get; }
    public int VmId => Vcpu.VmId;
    public int VcpuId => Vcpu.Id;
    public ulong UserAddress { get; }
    public ulong VcpuAddress { get; }
    public ulong Length { get; }
    public ulong VcpuEndAddress => VcpuAddress + Length - 1;

    /// <summary>True when KvmPS allocated the host memory (no -UserAddress was given).</summary>
    public bool OwnsMemory => _backing is not null;

    public bool IsRemoved { get; private set; }

    public bool Contains(ulong vcpuAddress) => vcpuAddress >= VcpuAddress && vcpuAddress - VcpuAddress < Length;

    public bool Overlaps(ulong vcpuAddress, ulong length) => new AddressRange(VcpuAddress, Length).Overlaps(new AddressRange(vcpuAddress, length));

    /// <summary>Releases the memory KvmPS allocated; the kernel mapping goes with the vCPU or through Remove.</summary>
    public void Dispose()
    {
        if (IsRemoved)
        {
            return;
        }
        IsRemoved = true;
        if (_backing is not null)
        {
            Vcpu.Vm.RemoveDependent(this);
            _backing.Dispose();
        }
    }

    public override string ToString() => $"VM {VmId} vCPU {VcpuId}: 0x{VcpuAddress:X}-0x{VcpuEndAddress:X} -> host 0x{UserAddress:X}";
}
