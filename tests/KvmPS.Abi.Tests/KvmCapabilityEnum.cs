using System.Reflection;
using KvmPS.Interop.Abi;

namespace KvmPS.Abi.Tests;

/// <summary>
/// KvmPS.Kvm.KvmCapability, found by reflection so these tests build before it exists: each member's value is
/// a KVM_CAP_* number and a [KernelName("KVM_CAP_...")] attribute names the macro.
/// </summary>
public static class KvmCapabilityEnum
{
    public const string TypeName = "KvmPS.Kvm.KvmCapability";

    public static Type? Find() => typeof(AbiCatalog).Assembly.GetType(TypeName);

    public static IReadOnlyList<(string Member, string KernelName, long Value)> Entries(Type enumType)
    {
        var entries = new List<(string, string, long)>();
        foreach (FieldInfo field in enumType.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            string kernelName = field.GetCustomAttributesData()
                .Where(a => a.AttributeType.Name == "KernelNameAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .Select(argument => argument.Value as string)
                .FirstOrDefault(value => value is not null)
                ?? throw new InvalidOperationException($"{TypeName}.{field.Name} has no [KernelName(\"KVM_CAP_...\")] attribute.");
            entries.Add((field.Name, kernelName, Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)));
        }
        return entries;
    }
}
