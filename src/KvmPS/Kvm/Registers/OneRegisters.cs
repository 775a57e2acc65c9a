using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.Registers;

/// <summary>KVM_GET_ONE_REG and KVM_SET_ONE_REG (api.txt 4.68-4.69, KVM_CAP_ONE_REG) on a vCPU's thread.</summary>
internal static class OneRegisters
{
    public static KvmOneRegister Get(KvmVcpu vcpu, ulong id)
    {
        int size = Prepare(vcpu, id);
        byte[] bytes = new byte[size];
        vcpu.OnVcpuThread(handle => Transfer(handle, KvmVcpuIoctls.GetOneReg, id, bytes));
        return new KvmOneRegister(vcpu.VmId, vcpu.Id, id, size, bytes);
    }

    public static void Set(KvmVcpu vcpu, ulong id, ReadOnlySpan<byte> value)
    {
        int size = Prepare(vcpu, id);
        if (value.Length != size)
        {
            throw KvmPSException.InvalidArgument("OneRegisterValueSize",
                $"Register id 0x{id:X16} is {size} bytes wide; the value has {value.Length}.");
        }
        byte[] bytes = value.ToArray();
        vcpu.OnVcpuThread(handle => Transfer(handle, KvmVcpuIoctls.SetOneReg, id, bytes));
    }

    /// <summary>A number as the register's bytes in the host's order; it must fit the register.</summary>
    public static byte[] BytesOf(ulong id, ulong value)
    {
        int size = OneRegisterId.SizeOf(id);
        if (size < sizeof(ulong) && value >> (size * 8) != 0)
        {
            throw KvmPSException.InvalidArgument("OneRegisterValueTooLarge", $"Register id 0x{id:X16} is {size * 8} bits wide; 0x{value:X} does not fit.");
        }
        byte[] bytes = new byte[size];
        byte[] all = BitConverter.GetBytes(value);
        if (BitConverter.IsLittleEndian)
        {
            all.AsSpan(0, Math.Min(size, sizeof(ulong))).CopyTo(bytes);
        }
        else
        {
            all.AsSpan(sizeof(ulong) - Math.Min(size, sizeof(ulong))).CopyTo(bytes.AsSpan(Math.Max(0, size - sizeof(ulong))));
        }
        return bytes;
    }

    private static int Prepare(KvmVcpu vcpu, ulong id)
    {
        vcpu.Vm.RequireCapability(KvmCapability.OneReg, "single-register access (KVM_GET/SET_ONE_REG)");
        return OneRegisterId.Check(id, vcpu.Vm.Kernel.Architecture);
    }

    internal static unsafe long Transfer(Interop.Handles.KvmVcpuHandle handle, IoctlDefinition<Interop.Handles.IKvmVcpuDescriptor> ioctl, ulong id, byte[] bytes)
    {
        fixed (byte* buffer = bytes)
        {
            var request = new KvmOneReg { Id = id, Addr = (ulong)buffer };
            return handle.Ioctl(ioctl, ref request, errno => errno switch
            {
                Errno.ENOENT => $"This vCPU has no register 0x{id:X16} (KVM_GET_REG_LIST lists the ones it has, where the architecture implements it).",
                Errno.EINVAL => $"The kernel refused register 0x{id:X16}: the id's size or encoding is wrong for it, or the value is invalid for the register.",
                Errno.ENOEXEC => "The vCPU is not initialised: on ARM, KVM_ARM_VCPU_INIT comes first.",
                _ => null,
            });
        }
    }
}
