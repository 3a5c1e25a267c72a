namespace Baimo.Kernels.Cpu;

/// <summary>
/// How many threads the matrix products should use by default: one per physical core. Two hardware threads of one
/// core share its vector units, so a second thread per core adds synchronization and cache pressure, not arithmetic.
/// </summary>
public static class CpuTopology
{
    private static readonly Lazy<int> Physical = new(Count);

    /// <summary>
    /// Physical cores available to this process: the logical processors it may use (affinity and container limits
    /// included) divided by the hardware threads per core; the logical count where the topology cannot be read.
    /// </summary>
    public static int DefaultThreads => Physical.Value;

    private static int Count()
    {
        int logical = Environment.ProcessorCount;
        int perCore = ThreadsPerCore();
        return Math.Max(1, logical / Math.Max(1, perCore));
    }

    /// <summary>Hardware threads per core from Linux's sysfs (the widest sibling list); 1 elsewhere or when unreadable.</summary>
    private static int ThreadsPerCore()
    {
        try
        {
            const string root = "/sys/devices/system/cpu";
            if (!Directory.Exists(root)) return 1;
            int widest = 1;
            foreach (var dir in Directory.EnumerateDirectories(root, "cpu*"))
            {
                var name = Path.GetFileName(dir);
                if (!int.TryParse(name.AsSpan(3), System.Globalization.NumberStyles.None, null, out _)) continue; // cpu0, cpu1 …, not cpufreq
                var list = Path.Combine(dir, "topology", "thread_siblings_list");
                if (File.Exists(list)) widest = Math.Max(widest, CountList(File.ReadAllText(list)));
            }
            return widest;
        }
        catch (IOException) { return 1; }
        catch (UnauthorizedAccessException) { return 1; }
    }

    /// <summary>Members of a sysfs CPU list such as "0-3,8,10-11".</summary>
    internal static int CountList(string list)
    {
        int n = 0;
        foreach (var part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split('-');
            if (ends.Length == 2 && int.TryParse(ends[0], out int a) && int.TryParse(ends[1], out int b) && b >= a) n += b - a + 1;
            else if (ends.Length == 1 && int.TryParse(ends[0], out _)) n++;
        }
        return n;
    }
}
