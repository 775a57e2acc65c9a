using System.Reflection;

namespace KvmPS.Tests.Metadata;

/// <summary>The habits PowerShell users rely on, checked on every cmdlet: safety switches, numbers, completion, data.</summary>
public sealed class CmdletSurfaceTests : IClassFixture<ModuleMetadata>
{
    // Verbs that only read or report; every other verb changes kernel, VM or session state.
    private static readonly HashSet<string> s_readOnlyVerbs = ["Get", "Test", "Read", "Find", "Search", "Show", "Measure", "Compare", "Resolve", "Trace", "Receive", "Wait"];
    private static readonly HashSet<string> s_destroyingVerbs = ["Remove", "Clear", "Close", "Reset", "Unregister"];
    private static readonly HashSet<string> s_integerTypes = ["System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64"];
    private readonly ModuleMetadata _module;

    public CmdletSurfaceTests(ModuleMetadata module) => _module = module;

    [Fact]
    public void EveryStateChangingCmdletSupportsShouldProcess() =>
        Assert.All(_module.Cmdlets.Where(c => !s_readOnlyVerbs.Contains(c.Verb)), c =>
            Assert.True(c.SupportsShouldProcess, $"{c.Name} changes state but has no -WhatIf/-Confirm (SupportsShouldProcess)."));

    [Fact]
    public void EveryDestroyingCmdletConfirmsWithHighImpactAndHasForce() =>
        Assert.All(_module.Cmdlets.Where(c => s_destroyingVerbs.Contains(c.Verb)), c =>
        {
            Assert.True(c.ConfirmImpact == 3, $"{c.Name} destroys state but its ConfirmImpact is not High.");
            Assert.Contains("Force", c.ParameterNames);
        });

    [Fact]
    public void EveryIntegerParameterTakesHexAndSizesAndOffersNoFileNames()
    {
        var integers = _module.Cmdlets.SelectMany(c => c.Parameters.Select(p => (Cmdlet: c, p.Property)))
            .Where(p => IsInteger(p.Property.PropertyType))
            .ToArray();
        Assert.True(integers.Length >= 40, $"only {integers.Length} integer parameters found");
        Assert.All(integers, p =>
        {
            CustomAttributeData? transformation = ModuleMetadata.CustomAttribute(p.Property, "KvmPS.PowerShell.NumberTransformationAttribute");
            Assert.True(transformation is not null, $"{p.Cmdlet.Name} -{p.Property.Name} lacks [NumberTransformation].");
            bool signed = transformation!.NamedArguments.Any(a => a.MemberName == "Signed" && (bool)a.TypedValue.Value!);
            Assert.True(signed == IsSigned(p.Property.PropertyType),
                $"{p.Cmdlet.Name} -{p.Property.Name}: [NumberTransformation(Signed = ...)] must say whether {p.Property.PropertyType.Name} is signed.");
            Assert.True(ModuleMetadata.CustomAttribute(p.Property, "System.Management.Automation.ArgumentCompleterAttribute") is not null,
                $"{p.Cmdlet.Name} -{p.Property.Name} has no completer, so PowerShell would offer file names.");
        });
    }

    [Fact]
    public void EveryCmdletHasAHelpUriToItsPageInTheRepository() =>
        Assert.All(_module.Cmdlets, c =>
        {
            Assert.EndsWith($"/docs/cmdlets/{c.Name}.md", c.HelpUri ?? "", StringComparison.Ordinal);
            Assert.True(File.Exists(Repository.PathOf($"docs/cmdlets/{c.Name}.md")));
        });

    [Fact]
    public void NoOutputTypeExposesAHandleOrAKernelInterfaceObject()
    {
        Type safeHandle = _module.Module.GetType("KvmPS.Interop.Handles.FileDescriptorHandle")!.BaseType!;
        while (safeHandle.FullName != "System.Runtime.InteropServices.SafeHandle")
        {
            safeHandle = safeHandle.BaseType!;
        }
        var outputTypes = _module.Cmdlets.SelectMany(c => c.OutputTypes)
            .SelectMany(a => a.ConstructorArguments.SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : [arg.Value]))
            .OfType<Type>()
            .Where(t => t.Assembly == _module.Module)
            .Distinct()
            .ToArray();
        Assert.NotEmpty(outputTypes);
        Assert.All(outputTypes, type => Assert.All(type.GetProperties(BindingFlags.Public | BindingFlags.Instance), property =>
        {
            Type t = property.PropertyType.IsArray ? property.PropertyType.GetElementType()! : property.PropertyType;
            Assert.False(safeHandle.IsAssignableFrom(t), $"{type.Name}.{property.Name} is a SafeHandle ({t.Name}).");
            Assert.False(t.Namespace?.StartsWith("KvmPS.Interop", StringComparison.Ordinal) == true && !t.IsEnum,
                $"{type.Name}.{property.Name} exposes the kernel-interface type {t.FullName}.");
            Assert.False(t.FullName is "System.IntPtr" or "System.UIntPtr", $"{type.Name}.{property.Name} is a raw pointer; use UInt64.");
        }));
    }

    private static bool IsSigned(Type type)
    {
        Type element = type.IsArray ? type.GetElementType()! : type;
        if (element.IsGenericType)
        {
            element = element.GetGenericArguments()[0];
        }
        return element.FullName is "System.SByte" or "System.Int16" or "System.Int32" or "System.Int64";
    }

    private static bool IsInteger(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType()!.FullName != "System.Byte" && IsInteger(type.GetElementType()!);   // byte[] is data, not a number
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
        {
            return IsInteger(type.GetGenericArguments()[0]);
        }
        return s_integerTypes.Contains(type.FullName!);
    }
}
