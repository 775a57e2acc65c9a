using System.Reflection;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using Xunit;

namespace KvmPS.Abi.Tests;

/// <summary>
/// Every C# struct the module passes to the kernel is part of a layout the conformance tests compare with the
/// headers: a [CStruct] type outside every registered KernelStruct would escape the check.
/// </summary>
public sealed class CStructCoverageTests
{
    [Fact]
    public void EveryCStructIsPartOfACheckedKernelStruct()
    {
        foreach (KernelStruct kernelStruct in AbiCatalog.Structs)
        {
            foreach (CpuArchitecture arch in Enum.GetValues<CpuArchitecture>())
            {
                _ = kernelStruct.LayoutFor(arch);
            }
        }
        Type[] declared = ModuleTypes()
            .Where(type => type.GetCustomAttribute<CStructAttribute>() is not null)
            .ToArray();
        Assert.NotEmpty(declared);
        Assert.Empty(declared.Except(ReflectedLayout.TypesRead).Select(type => type.FullName));
    }

    [Fact]
    public void EveryStructInTheStructsNamespaceNamesItsKernelStruct()
    {
        Type[] unnamed = ModuleTypes()
            .Where(type => type.IsValueType && !type.IsEnum && type.Namespace == "KvmPS.Interop.Structs" && !type.IsNested)
            .Where(type => type.GetCustomAttribute<CStructAttribute>() is null)
            .Where(type => type.GetCustomAttribute<System.Runtime.CompilerServices.InlineArrayAttribute>() is null)   // an array member, not a struct
            .ToArray();
        Assert.Empty(unnamed.Select(type => type.FullName));
    }

    /// <summary>The module's types that load without PowerShell (the cmdlets need System.Management.Automation).</summary>
    private static IEnumerable<Type> ModuleTypes()
    {
        try
        {
            return typeof(KernelStruct).Assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
