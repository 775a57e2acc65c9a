namespace KvmPS.Tests.Robustness;

/// <summary>The module's own threads (vCPU threads are named "KvmPS VM n vCPU m"), from /proc/self/task/*/comm.</summary>
internal static class ModuleThreads
{
    public static int Count() => Directory.GetDirectories("/proc/self/task").Count(task =>
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).StartsWith("KvmPS", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;   // the thread ended while we looked
        }
    });

    /// <summary>Waits (bounded) until the count drops to <paramref name="expected"/>; vCPU threads end just after their close.</summary>
    public static int SettleTo(int expected, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        int count;
        while ((count = Count()) > expected && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
        return count;
    }
}
