using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm.Arm;

/// <summary>
/// KVM_GET_REG_LIST (api.txt 4.84): the ONE_REG ids a vCPU has. The count is learned first (n = 0; the kernel
/// writes the real n and answers E2BIG), then a buffer of that size is passed.
/// </summary>
public static class RegisterList
{
    /// <summary>The count can grow between calls (e.g. a feature finalised meanwhile); give up after a few rounds.</summary>
    private const int MaxAttempts = 4;

    public static IReadOnlyList<KvmRegisterId> Get(KvmVcpu vcpu)
    {
        vcpu.Vm.RequireCapability(KvmCapability.OneReg, "ONE_REG register discovery (KVM_GET_REG_LIST)");
        ulong[] ids = vcpu.OnVcpuThread(handle => Read(handle));
        return ids.Select(id => new KvmRegisterId(vcpu.VmId, vcpu.Id, id)).ToArray();
    }

    internal static unsafe ulong[] Read(KvmVcpuHandle handle)
    {
        CStructLayout layout = ArmStructs.RegList.LayoutOn(handle.Kernel.Architecture);
        int countOffset = layout.OffsetOf("n");
        int regOffset = layout.OffsetOf("reg");
        ulong capacity = 0;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (capacity > int.MaxValue / sizeof(ulong))
            {
                throw new KvmIoctlException(ArmIoctls.GetRegList.Name, Errno.E2BIG, $"The kernel reports {capacity} registers, more than KvmPS can hold.");
            }
            byte[] buffer = new byte[Math.Max(layout.Size, regOffset + (int)capacity * sizeof(ulong))];
            WriteU64(buffer.AsSpan(countOffset), capacity);
            long result;
            fixed (byte* pointer = buffer)
            {
                result = handle.TryIoctl(ArmIoctls.GetRegList, (nint)pointer);
            }
            ulong count = ReadU64(buffer.AsSpan(countOffset));
            if (result == -Errno.E2BIG && count > capacity)
            {
                capacity = count;
                continue;
            }
            if (result < 0)
            {
                throw new KvmIoctlException(ArmIoctls.GetRegList.Name, (int)-result, Hint((int)-result));
            }
            var ids = new ulong[count];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = ReadU64(buffer.AsSpan(regOffset + i * sizeof(ulong)));
            }
            return ids;
        }
        throw new KvmIoctlException(ArmIoctls.GetRegList.Name, Errno.E2BIG, $"The register count kept growing over {MaxAttempts} attempts; try again.");
    }

    private static string? Hint(int errno) => errno switch
    {
        Errno.ENOEXEC => "The vCPU is not initialised: on ARM, KVM_ARM_VCPU_INIT comes first.",
        Errno.EPERM => "The vCPU's configurable features (e.g. SVE) are not finalised yet (KVM_ARM_VCPU_FINALIZE).",
        Errno.ENOTTY or Errno.EINVAL => "This host's KVM does not list registers for this architecture.",
        _ => null,
    };

    // The buffer is shared with the kernel of this process, so values are in the host's byte order.
    private static void WriteU64(Span<byte> target, ulong value) => MemoryMarshal.Write(target, in value);

    private static ulong ReadU64(ReadOnlySpan<byte> source) => MemoryMarshal.Read<ulong>(source);
}
