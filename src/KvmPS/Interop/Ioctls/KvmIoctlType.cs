namespace KvmPS.Interop.Ioctls;

internal static class KvmIoctlType
{
    /// <summary>KVMIO in linux/kvm.h.</summary>
    public const byte Kvmio = 0xAE;
}
