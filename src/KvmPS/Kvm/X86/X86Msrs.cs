using System.Buffers.Binary;
using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm.X86;

/// <summary>
/// Model-specific registers: the lists of MSRs KVM handles (KVM_GET_MSR_INDEX_LIST and
/// KVM_GET_MSR_FEATURE_INDEX_LIST, api.txt 4.3) and a vCPU's values (KVM_GET_MSRS / KVM_SET_MSRS, 4.18 / 4.19).
/// </summary>
public static class X86Msrs
{
    private const int InitialCapacity = 256;
    private const int MaxCapacity = 1 << 16;

    /// <summary>The MSR indices KVM saves and restores, or with <paramref name="feature"/> the feature MSRs /dev/kvm reads.</summary>
    public static IReadOnlyList<uint> GetIndexList(KvmSystem system, bool feature = false)
    {
        IoctlDefinition<IKvmSystemDescriptor> ioctl = feature ? KvmSystemIoctls.GetMsrFeatureIndexList : KvmSystemIoctls.GetMsrIndexList;
        if (feature && system.CheckExtension(KvmCapability.GetMsrFeatures) <= 0)
        {
            throw KvmPSException.NotSupportedByHost("feature MSRs (KVM_GET_MSR_FEATURE_INDEX_LIST)", "KVM_CAP_GET_MSR_FEATURES", system.Kernel.Architecture);
        }
        CStructLayout layout = X86StateStructs.MsrList.LayoutOn(system.Kernel.Architecture);
        int countOffset = layout.OffsetOf("nmsrs");
        int indicesOffset = layout.OffsetOf("indices");
        int capacity = InitialCapacity;
        while (capacity <= MaxCapacity)
        {
            byte[] buffer = GC.AllocateArray<byte>(indicesOffset + capacity * sizeof(uint), pinned: true);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(countOffset), (uint)capacity);
            long result = system.Handle.TryIoctl(ioctl, Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0));
            int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(countOffset));
            if (result == -Errno.E2BIG)
            {
                // api.txt 4.3: on E2BIG the kernel writes the number it needs into nmsrs.
                capacity = count > capacity ? count : capacity * 2;
                continue;
            }
            if (result < 0)
            {
                throw new KvmIoctlException(ioctl.Name, (int)-result, (int)-result is Errno.ENOTTY or Errno.EINVAL ? "MSRs belong to x86 KVM; this host's KVM does not offer them." : null);
            }
            var indices = new uint[Math.Min(count, capacity)];
            for (int i = 0; i < indices.Length; i++)
            {
                indices[i] = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(indicesOffset + i * sizeof(uint)));
            }
            return indices;
        }
        throw new KvmIoctlException(ioctl.Name, Errno.E2BIG, $"The kernel reports more than {MaxCapacity} MSRs.");
    }

    /// <summary>
    /// The values of <paramref name="indices"/> (the vCPU's whole index list when null), skipping those KVM refuses
    /// to read: KVM_GET_MSRS stops at the first refused entry and returns how many it read (api.txt 4.18).
    /// With <paramref name="strict"/> a refused MSR is an error instead.
    /// </summary>
    public static IReadOnlyList<MsrValue> Get(KvmVcpu vcpu, IReadOnlyList<uint>? indices = null, bool strict = false)
    {
        IReadOnlyList<uint> wanted = indices is { Count: > 0 } ? indices : GetIndexList(vcpu.Vm.System);
        return vcpu.OnVcpuThread(handle =>
        {
            var values = new List<MsrValue>();
            int start = 0;
            while (start < wanted.Count)
            {
                var batch = wanted.Skip(start).Select(i => (i, 0UL)).ToArray();
                var buffer = new MsrBuffer(handle.Kernel.Architecture, batch);
                int read = (int)handle.Ioctl(KvmVcpuIoctls.GetMsrs, buffer.Bytes.AsSpan(), Hint);
                for (int i = 0; i < read; i++)
                {
                    values.Add(new MsrValue(vcpu.VmId, vcpu.Id, batch[i].i, buffer.ValueAt(i)));
                }
                if (read < batch.Length && strict)
                {
                    throw Refused("read", batch[read].i, vcpu);
                }
                start += read + 1;   // skip the refused one
            }
            return values;
        });
    }

    /// <summary>The host's feature MSRs (KVM_GET_MSRS on /dev/kvm, api.txt 4.18).</summary>
    public static IReadOnlyList<MsrValue> GetFeatures(KvmSystem system)
    {
        IReadOnlyList<uint> indices = GetIndexList(system, feature: true);
        var buffer = new MsrBuffer(system.Kernel.Architecture, indices.Select(i => (i, 0UL)).ToArray());
        int read = (int)system.Handle.Ioctl(KvmVcpuIoctls.GetMsrs, buffer.Bytes.AsSpan(), Hint);
        return Enumerable.Range(0, read).Select(i => new MsrValue(null, null, indices[i], buffer.ValueAt(i))).ToArray();
    }

    /// <summary>KVM_SET_MSRS: all or an error naming the first MSR KVM refused (the ones before it are set; api.txt 4.19).</summary>
    public static void Set(KvmVcpu vcpu, IReadOnlyList<(uint Index, ulong Value)> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return;
        }
        vcpu.OnVcpuThread(handle =>
        {
            var buffer = new MsrBuffer(handle.Kernel.Architecture, values);
            int set = (int)handle.Ioctl(KvmVcpuIoctls.SetMsrs, buffer.Bytes.AsSpan(), Hint);
            return set < values.Count ? throw Refused("set", values[set].Index, vcpu, values[set].Value, set) : set;
        });
    }

    private static KvmPSException Refused(string verb, uint index, KvmVcpu vcpu, ulong? value = null, int done = 0)
    {
        string name = MsrNames.NameOf(index) is { } n ? $"{n} (0x{index:X})" : $"0x{index:X}";
        string what = value is ulong v ? $"to 0x{v:X}" : "";
        string before = verb == "set" ? $" The {done} MSR(s) before it were set." : "";
        return new KvmPSException("MsrRefused", ErrorKind.InvalidOperation,
            $"KVM refused to {verb} MSR {name} {what} on {vcpu}.{before}".Replace("  ", " ", StringComparison.Ordinal));
    }

    private static string? Hint(int errno) => errno is Errno.ENOTTY or Errno.EINVAL
        ? "MSRs belong to x86 KVM; this host's KVM does not offer them, or the entry count is above KVM's limit."
        : null;
}
