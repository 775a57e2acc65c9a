using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_enable_cap.</summary>
[CStruct("kvm_enable_cap")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmEnableCap
{
    public uint Cap;
    public uint Flags;
    public fixed ulong Args[4];
    public fixed byte Pad[64];

    public static KvmEnableCap For(uint capability, ReadOnlySpan<ulong> args, uint flags)
    {
        if (args.Length > 4)
        {
            throw new ArgumentException("KVM_ENABLE_CAP takes at most four arguments.", nameof(args));
        }
        var request = new KvmEnableCap { Cap = capability, Flags = flags };
        for (int i = 0; i < args.Length; i++)
        {
            request.Args[i] = args[i];
        }
        return request;
    }
}
