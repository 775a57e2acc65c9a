using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>An in-kernel device from KVM_CREATE_DEVICE, configured through device attributes (api.txt 4.80-4.81).</summary>
public sealed class KvmDevice : IDisposable
{
    internal KvmDevice(KvmVm vm, uint type, string typeName, KvmDeviceHandle handle)
    {
        Vm = vm;
        Type = type;
        TypeName = typeName;
        Handle = handle;
    }

    public KvmVm Vm { get; }
    public uint Type { get; }
    public string TypeName { get; }
    internal KvmDeviceHandle Handle { get; }

    /// <summary>KVM_HAS_DEVICE_ATTR: whether the device implements (group, attribute).</summary>
    public bool HasAttribute(uint group, ulong attribute)
    {
        var request = new KvmDeviceAttr { Group = group, Attr = attribute };
        unsafe
        {
            return Handle.TryIoctl(KvmDeviceIoctls.HasDeviceAttr, (nint)(&request)) == 0;
        }
    }

    /// <summary>KVM_SET_DEVICE_ATTR with a pointer to a 64-bit value.</summary>
    public unsafe void SetAttribute(uint group, ulong attribute, ulong value, Func<int, string?>? hintFor = null)
    {
        var request = new KvmDeviceAttr { Group = group, Attr = attribute, Addr = (ulong)(nint)(&value) };
        Handle.Ioctl(KvmDeviceIoctls.SetDeviceAttr, ref request, hintFor);
    }

    /// <summary>KVM_SET_DEVICE_ATTR with a 32-bit value (some attributes, e.g. a group or table fd, take an int).</summary>
    public unsafe void SetAttribute32(uint group, ulong attribute, int value, Func<int, string?>? hintFor = null)
    {
        var request = new KvmDeviceAttr { Group = group, Attr = attribute, Addr = (ulong)(nint)(&value) };
        Handle.Ioctl(KvmDeviceIoctls.SetDeviceAttr, ref request, hintFor);
    }

    /// <summary>KVM_SET_DEVICE_ATTR with a caller-built payload (e.g. struct kvm_vfio_spapr_tce).</summary>
    public unsafe void SetAttribute<T>(uint group, ulong attribute, ref T payload, Func<int, string?>? hintFor = null) where T : unmanaged
    {
        fixed (T* pointer = &payload)
        {
            var request = new KvmDeviceAttr { Group = group, Attr = attribute, Addr = (ulong)(nint)pointer };
            Handle.Ioctl(KvmDeviceIoctls.SetDeviceAttr, ref request, hintFor);
        }
    }

    /// <summary>KVM_GET_DEVICE_ATTR of a 64-bit value.</summary>
    public unsafe ulong GetAttribute(uint group, ulong attribute, Func<int, string?>? hintFor = null)
    {
        ulong value = 0;
        var request = new KvmDeviceAttr { Group = group, Attr = attribute, Addr = (ulong)(nint)(&value) };
        Handle.Ioctl(KvmDeviceIoctls.GetDeviceAttr, ref request, hintFor);
        return value;
    }

    public void Dispose()
    {
        Vm.RemoveDependent(this);
        Handle.Dispose();
    }

    public override string ToString() => $"{TypeName} device of VM {Vm.Id}";
}
