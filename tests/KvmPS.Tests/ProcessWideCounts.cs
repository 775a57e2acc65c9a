namespace KvmPS.Tests;

/// <summary>Tests that count the process's descriptors or mappings run alone: other tests would move the counts.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCounts
{
    public const string Name = "Process-wide descriptor and mapping counts";
}
