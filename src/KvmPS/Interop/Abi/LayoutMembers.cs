
namespace KvmPS.Interop.Abi;

/// <summary>
/// Every named member of a layout as an offsetof() path: nested members as <c>io.port</c>, members of an
/// array of structs through its first element (<c>u.s.ppc64.slb[0].slbe</c>), anonymous unions' members as
/// their parent's own.
/// </summary>
internal static class LayoutMembers
{
    public static IEnumerable<(string Path, CField Field)> Of(CStructLayout layout) => Walk(layout, "");

    private static IEnumerable<(string Path, CField Field)> Walk(CStructLayout layout, string prefix)
    {
        foreach (CField field in layout.Fields)
        {
            if (field.IsAnonymous)
            {
                foreach (var inner in Walk(field.Aggregate!, prefix))
                {
                    yield return inner;
                }
                continue;
            }
            string path = prefix + field.Name;
            yield return (path, field);
            if (field.Aggregate is CStructLayout aggregate)
            {
                foreach (var inner in Walk(aggregate, path + (field.IsArray ? "[0]." : ".")))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>A flexible array member has no size C can take.</summary>
    public static bool HasSize(CField field) => !(field.IsArray && field.Count == 0);
}
