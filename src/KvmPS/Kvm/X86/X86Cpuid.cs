using System.Buffers.Binary;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm.X86;

/// <summary>
/// CPUID as KVM sees it: what the host can offer (KVM_GET_SUPPORTED_CPUID, api.txt 4.46) and what one vCPU
/// reports (KVM_SET_CPUID2 / KVM_GET_CPUID2, api.txt 4.20 and 4.104).
/// </summary>
public static class X86Cpuid
{
    /// <summary>The first buffer size; KVM_MAX_CPUID_ENTRIES is 256 on 6.x kernels.</summary>
    private const int InitialCapacity = 64;
    private const int MaxCapacity = 4096;

    public static IReadOnlyList<CpuidEntry> GetSupported(KvmSystem system) =>
        ReadGrowing(system.Kernel.Architecture, KvmSystemIoctls.GetSupportedCpuid,
            buffer => system.Handle.TryIoctl(KvmSystemIoctls.GetSupportedCpuid, buffer.Address));

    public static IReadOnlyList<CpuidEntry> Get(KvmVcpu vcpu) => vcpu.OnVcpuThread(handle =>
        ReadGrowing(handle.Kernel.Architecture, KvmVcpuIoctls.GetCpuid2, buffer => handle.TryIoctl(KvmVcpuIoctls.GetCpuid2, buffer.Address)));

    /// <summary>KVM_SET_CPUID2: replaces the vCPU's whole CPUID table (before its first KVM_RUN, api.txt 4.20).</summary>
    public static void Set(KvmVcpu vcpu, IReadOnlyList<CpuidEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        vcpu.OnVcpuThread(handle =>
        {
            CpuidBuffer buffer = CpuidBuffer.Of(handle.Kernel.Architecture, entries);
            return handle.Ioctl(KvmVcpuIoctls.SetCpuid2, buffer.Bytes.AsSpan(), errno => errno switch
            {
                Errno.E2BIG => $"{entries.Count} entries are more than this kernel accepts (KVM_MAX_CPUID_ENTRIES).",
                Errno.EINVAL or Errno.EFAULT => "KVM refuses to change CPUID once the vCPU has run, or an entry is invalid: set it before the first run, from KVM_GET_SUPPORTED_CPUID's entries.",
                _ => null,
            });
        });
    }

    /// <summary>
    /// The legacy KVM_SET_CPUID (api.txt 4.20): kvm_cpuid_entry has no subleaf index and no flags, so KVM stores
    /// each entry with index 0. An entry with another index cannot be expressed and is refused.
    /// </summary>
    public static void SetLegacy(KvmVcpu vcpu, IReadOnlyList<CpuidEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.FirstOrDefault(e => e.Index != 0) is CpuidEntry indexed)
        {
            throw KvmPSException.InvalidArgument("LegacyCpuidIndex",
                $"The legacy KVM_SET_CPUID has no subleaf index, but entry {indexed} has index {indexed.Index}; use KVM_SET_CPUID2 for indexed leaves, or give only index 0.");
        }
        CpuArchitecture arch = vcpu.Vm.Kernel.Architecture;
        CStructLayout header = X86Structs.Cpuid.LayoutOn(arch);
        CStructLayout entry = X86Structs.CpuidEntry.LayoutOn(arch);
        int first = header.OffsetOf("entries");
        byte[] buffer = GC.AllocateArray<byte>(first + entries.Count * entry.Size, pinned: true);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(header.OffsetOf("nent")), (uint)entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            Span<byte> target = buffer.AsSpan(first + i * entry.Size, entry.Size);
            CpuidEntry e = entries[i];
            BinaryPrimitives.WriteUInt32LittleEndian(target[entry.OffsetOf("function")..], e.Function);
            BinaryPrimitives.WriteUInt32LittleEndian(target[entry.OffsetOf("eax")..], e.Eax);
            BinaryPrimitives.WriteUInt32LittleEndian(target[entry.OffsetOf("ebx")..], e.Ebx);
            BinaryPrimitives.WriteUInt32LittleEndian(target[entry.OffsetOf("ecx")..], e.Ecx);
            BinaryPrimitives.WriteUInt32LittleEndian(target[entry.OffsetOf("edx")..], e.Edx);
        }
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.SetCpuid, buffer.AsSpan(), errno => errno switch
        {
            Errno.E2BIG => $"{entries.Count} entries are more than this kernel accepts (KVM_MAX_CPUID_ENTRIES).",
            Errno.EINVAL or Errno.EFAULT => "KVM refuses to change CPUID once the vCPU has run, or an entry is invalid: set it before the first run, from KVM_GET_SUPPORTED_CPUID's entries.",
            _ => null,
        }));
    }

    /// <summary>
    /// KVM_SET_CPUID2 with <see cref="ForVcpu(IReadOnlyList{CpuidEntry}, int, int)"/> of the host's supported CPUID;
    /// the APIC id is the vCPU id, the count <paramref name="cpuCount"/> or the VM's vCPU count.
    /// </summary>
    public static void SetHostCpuid(KvmVcpu vcpu, int? cpuCount = null) =>
        Set(vcpu, ForVcpu(GetSupported(vcpu.Vm.System), vcpu.Id, cpuCount ?? Math.Max(vcpu.Vm.Vcpus.Count, vcpu.Id + 1)));

    /// <summary>The same for every vCPU of a machine of <paramref name="vcpus"/>.Count CPUs, asking the host's table once.</summary>
    public static void SetHostCpuid(IReadOnlyList<KvmVcpu> vcpus)
    {
        if (vcpus.Count == 0)
        {
            return;
        }
        IReadOnlyList<CpuidEntry> supported = GetSupported(vcpus[0].Vm.System);
        foreach (KvmVcpu vcpu in vcpus)
        {
            Set(vcpu, ForVcpu(supported, vcpu.Id, vcpus.Count));
        }
    }

    /// <summary>The entries of the given leaves, in table order; all of them when <paramref name="functions"/> is null or empty.</summary>
    public static IReadOnlyList<CpuidEntry> Select(IReadOnlyList<CpuidEntry> entries, IReadOnlyCollection<uint>? functions) =>
        functions is null || functions.Count == 0 ? entries : entries.Where(e => functions.Contains(e.Function)).ToArray();

    /// <summary>
    /// The host's supported CPUID shaped for vCPU <paramref name="apicId"/> of a VM with <paramref name="cpuCount"/>
    /// vCPUs: leaf 1 EBX[31:24] = initial APIC id, EBX[23:16] = logical count, ECX bit 31 (hypervisor), EDX bit 28
    /// (HTT) when there are several; leaves 0xB and 0x1F: one thread per core, <paramref name="cpuCount"/> cores,
    /// the x2APIC id in EDX; leaf 4 EAX[31:26] = cores per package - 1 (Intel SDM vol. 2A, CPUID).
    /// </summary>
    public static IReadOnlyList<CpuidEntry> ForVcpu(IReadOnlyList<CpuidEntry> supported, int apicId, int cpuCount)
    {
        if (cpuCount < 1 || cpuCount > 255)
        {
            throw KvmPSException.InvalidArgument("InvalidCpuCount", $"A VM has 1 to 255 vCPUs with xAPIC ids; {cpuCount} was given.");
        }
        if (apicId < 0 || apicId >= cpuCount)
        {
            throw KvmPSException.InvalidArgument("InvalidApicId", $"APIC id {apicId} is outside 0..{cpuCount - 1} for a {cpuCount}-vCPU VM.");
        }
        uint id = (uint)apicId;
        uint n = (uint)cpuCount;
        uint coreBits = (uint)Math.Ceiling(Math.Log2(cpuCount));
        var result = new List<CpuidEntry>();
        foreach (CpuidEntry e in supported)
        {
            switch (e.Function)
            {
                case 1:
                    result.Add(e with
                    {
                        Ebx = (e.Ebx & 0x0000_FFFF) | (n << 16) | (id << 24),
                        Ecx = e.Ecx | 1u << 31,
                        Edx = cpuCount > 1 ? e.Edx | 1u << 28 : e.Edx,
                    });
                    break;
                case 4 when (e.Eax & 0x1F) != 0:
                    result.Add(e with { Eax = (e.Eax & 0x03FF_FFFF) | (Math.Min(n - 1, 63) << 26) });
                    break;
                case 0xB or 0x1F when e.Index == 0:
                    result.AddRange(Topology(e.Function, id, n, coreBits));
                    break;
                case 0xB or 0x1F:
                    break;
                default:
                    result.Add(e);
                    break;
            }
        }
        return result;
    }

    /// <summary>Subleaf 0 is the SMT level (1 thread), 1 the core level (n cores), 2 ends the list (type 0).</summary>
    private static IEnumerable<CpuidEntry> Topology(uint leaf, uint id, uint n, uint coreBits)
    {
        const CpuidEntryFlags indexed = CpuidEntryFlags.SignificantIndex;
        yield return new CpuidEntry(leaf, 0, indexed, 0, 1, 1u << 8, id);
        yield return new CpuidEntry(leaf, 1, indexed, coreBits, n, 2u << 8 | 1, id);
        yield return new CpuidEntry(leaf, 2, indexed, 0, 0, 2, id);
    }

    private static IReadOnlyList<CpuidEntry> ReadGrowing(CpuArchitecture arch, IoctlDefinition ioctl, Func<CpuidBuffer, long> call)
    {
        for (int capacity = InitialCapacity; capacity <= MaxCapacity; capacity *= 2)
        {
            CpuidBuffer buffer = CpuidBuffer.WithCapacity(arch, capacity);
            long result = call(buffer);
            if (result == -Errno.E2BIG)
            {
                continue;   // the kernel may report its count in nent, but doubling covers kernels that do not
            }
            if (result < 0)
            {
                throw new KvmIoctlException(ioctl.Name, (int)-result, Hint((int)-result));
            }
            return buffer.Entries();
        }
        throw new KvmIoctlException(ioctl.Name, Errno.E2BIG, $"The kernel reports more than {MaxCapacity} CPUID entries.");
    }

    private static string? Hint(int errno) => errno switch
    {
        Errno.ENOTTY or Errno.EINVAL => "CPUID belongs to x86 KVM; this host's KVM does not offer it.",
        _ => null,
    };
}
