using System.Reflection;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Tests.Interop;

/// <summary>
/// Each ioctl belongs to a kind of descriptor, and KernelCalls takes it only on a handle of that kind: the
/// THandle : TOwner constraint makes the wrong pairing a compile error (CS0311). These tests hold the pieces that
/// make that true.
/// </summary>
public sealed class IoctlOwnershipTests
{
    private static readonly Type[] s_handles = LoadableTypes()
        .Where(t => t.IsSubclassOf(typeof(FileDescriptorHandle)) && !t.IsAbstract).ToArray();

    /// <summary>The module's types that load here (the cmdlet types need PowerShell, which this test host lacks).</summary>
    private static IEnumerable<Type> LoadableTypes()
    {
        try
        {
            return typeof(FileDescriptorHandle).Assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    [Fact]
    public void EveryIoctlIsDeclaredForADescriptorKindThatSomeHandleIs()
    {
        foreach (IoctlDefinition ioctl in AbiCatalog.Ioctls)
        {
            Assert.True(ioctl.DescriptorKind.IsInterface, $"{ioctl.Name} is declared for {ioctl.DescriptorKind.Name}, not a descriptor kind");
            Assert.Contains(s_handles, handle => ioctl.DescriptorKind.IsAssignableFrom(handle));
        }
    }

    [Fact]
    public void EveryIssuingMethodTiesTheHandleToTheIoctlsKind()
    {
        MethodInfo[] issuing = typeof(KernelCalls).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name is "Ioctl" or "TryIoctl").ToArray();
        Assert.NotEmpty(issuing);
        foreach (MethodInfo method in issuing)
        {
            Type[] generic = method.GetGenericArguments();
            Assert.True(generic.Length >= 2, $"{method} is not generic over the handle and the descriptor kind");
            Assert.Contains(generic[1], generic[0].GetGenericParameterConstraints());
            Assert.Equal(typeof(IoctlDefinition<>).MakeGenericType(generic[1]), method.GetParameters()[1].ParameterType);
        }
    }

    [Fact]
    public void OnlyKvmRunReturnsEintrToItsCaller() =>
        Assert.Equal(["KVM_RUN"], AbiCatalog.Ioctls.Where(i => !i.RetriesWhenInterrupted).Select(i => i.Name));

    [Theory]
    [InlineData("KVM_CREATE_VM", typeof(KvmSystemHandle), true)]
    [InlineData("KVM_CREATE_VM", typeof(KvmVmHandle), false)]
    [InlineData("KVM_CHECK_EXTENSION", typeof(KvmVmHandle), true)]
    [InlineData("KVM_ENABLE_CAP", typeof(KvmVcpuHandle), true)]
    [InlineData("KVM_ENABLE_CAP", typeof(KvmSystemHandle), false)]
    [InlineData("KVM_GET_MSRS", typeof(KvmSystemHandle), true)]
    [InlineData("KVM_RUN", typeof(KvmVmHandle), false)]
    [InlineData("VFIO_SET_IOMMU", typeof(VfioGroupHandle), false)]
    [InlineData("VFIO_GROUP_SET_CONTAINER", typeof(VfioGroupHandle), true)]
    public void AHandleAcceptsTheIoctlsOfItsKindsOnly(string ioctl, Type handle, bool accepted) =>
        Assert.Equal(accepted, AbiCatalog.FindIoctl(ioctl)!.DescriptorKind.IsAssignableFrom(handle));
}
