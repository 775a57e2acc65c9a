using KvmPS.Interop;
using KvmPS.Interop.Abi;

// Prints, sorted, every ioctl number, struct size and relied-on member offset the module uses on one
// architecture, in the form the ABI conformance test compares with that architecture's kernel headers.
if (args.Length != 1)
{
    Console.Error.WriteLine($"usage: KvmPS.AbiDump <{string.Join("|", CpuArchitectures.All.Select(a => a.UnameName()))}>");
    return 2;
}
try
{
    foreach (string line in AbiCatalog.Dump(CpuArchitectures.Parse(args[0])))
    {
        Console.WriteLine(line);
    }
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
