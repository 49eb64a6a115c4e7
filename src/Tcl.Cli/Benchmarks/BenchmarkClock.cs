using System.Diagnostics;

namespace Tcl.Cli.Benchmarks;

/// <summary>Timing of one measured operation: warm-up runs are discarded, the rest summarised.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Seconds">Every measured run, in order.</param>
public sealed record Timing(string Name, IReadOnlyList<double> Seconds)
{
    public double Median => Seconds.Order().ElementAt(Seconds.Count / 2);
    public double Min => Seconds.Min();
}

/// <summary>Runs an action a few times and reads the process's peak resident memory.</summary>
public static class BenchmarkClock
{
    public static Timing Measure(string name, int warmup, int runs, Action action)
    {
        for (int i = 0; i < warmup; i++) action();
        var seconds = new List<double>(runs);
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            seconds.Add(sw.Elapsed.TotalSeconds);
        }
        return new Timing(name, seconds);
    }

    /// <summary>Peak resident set size of this process in bytes (Linux VmHWM: native tensor memory included).</summary>
    public static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return Environment.WorkingSet;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:"));
        return line is null ? Environment.WorkingSet : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
