using System.Globalization;
using System.Text;

namespace Tcl.Data;

/// <summary>
/// Turns the ways people name a set of webdataset shards into a list of files: brace patterns as in the official
/// training configs (<c>/data/cc3m/gcc-train-{000000..000347}.tar</c>, expanded like Python's <c>braceexpand</c>),
/// a directory (every <c>*.tar</c> in it), a file-name glob (<c>/data/cc12m/cc-00*.tar</c>), or one plain path.
/// </summary>
/// <remarks>
/// Brace expansion is purely textual (it does not look at the disk), so a pattern that names shards which do not
/// exist yields them anyway and <see cref="WebDatasetShards"/> reports the missing ones by name: silently training on
/// a subset of CC3M because some shards are absent is worse than an error. Directory and glob listings are sorted
/// ordinally so the list (and hence the seeded shard order) is the same on every machine.
/// </remarks>
public static class ShardPattern
{
    /// <summary>Expands one pattern into shard paths (see the type's remarks for the accepted forms).</summary>
    /// <param name="pattern">A brace pattern, a directory, a glob over file names, or a path.</param>
    /// <exception cref="ArgumentException">Unbalanced braces or an unsupported range such as <c>{a..z}</c>.</exception>
    /// <exception cref="FileNotFoundException">A glob or directory that matches no <c>.tar</c> file.</exception>
    public static IReadOnlyList<string> Expand(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (pattern.Contains('{') || pattern.Contains('}'))
            return ExpandBraces(pattern);
        if (Directory.Exists(pattern))
            return List(pattern, "*.tar", pattern);
        if (pattern.IndexOfAny(['*', '?']) >= 0)
        {
            string dir = Path.GetDirectoryName(pattern) is { Length: > 0 } d ? d : ".";
            if (dir.IndexOfAny(['*', '?']) >= 0)
                throw new ArgumentException($"Shard pattern '{pattern}': wildcards are supported in the file name only, not in directories.", nameof(pattern));
            if (!Directory.Exists(dir))
                throw new DirectoryNotFoundException($"Shard pattern '{pattern}': directory '{dir}' does not exist.");
            return List(dir, Path.GetFileName(pattern), pattern);
        }
        return [pattern];
    }

    /// <summary>Expands several patterns and concatenates the results in order.</summary>
    /// <param name="patterns">Patterns as accepted by <see cref="Expand(string)"/>.</param>
    public static IReadOnlyList<string> Expand(IEnumerable<string> patterns) => patterns.SelectMany(Expand).ToList();

    /// <summary>
    /// Textual brace expansion: <c>{a..b}</c> integer ranges (ascending or descending; zero-padded to the longer
    /// bound's width when either bound has a leading zero, as <c>braceexpand</c> does) and <c>{x,y,z}</c> lists,
    /// several and nested groups allowed; the results are the cartesian product, left to right.
    /// </summary>
    /// <param name="pattern">The pattern, e.g. <c>cc-{000000..001175}.tar</c>.</param>
    public static IReadOnlyList<string> ExpandBraces(string pattern)
    {
        var results = new List<string>();
        ExpandInto(pattern, results);
        return results;
    }

    private static void ExpandInto(string pattern, List<string> results)
    {
        int open = pattern.IndexOf('{');
        if (open < 0)
        {
            if (pattern.Contains('}'))
                throw new ArgumentException($"Shard pattern '{pattern}': '}}' without a matching '{{'.", nameof(pattern));
            results.Add(pattern);
            return;
        }
        int close = MatchingClose(pattern, open);
        string prefix = pattern[..open], body = pattern[(open + 1)..close], suffix = pattern[(close + 1)..];
        foreach (string alternative in Alternatives(body, pattern))
            ExpandInto(prefix + alternative + suffix, results);
    }

    private static int MatchingClose(string pattern, int open)
    {
        int depth = 0;
        for (int i = open; i < pattern.Length; i++)
        {
            if (pattern[i] == '{') depth++;
            else if (pattern[i] == '}' && --depth == 0) return i;
        }
        throw new ArgumentException($"Shard pattern '{pattern}': '{{' at position {open} is never closed.", nameof(pattern));
    }

    private static IEnumerable<string> Alternatives(string body, string pattern)
    {
        var parts = SplitTopLevel(body);
        if (parts.Count > 1)
            return parts; // {x,y,z}; nested groups inside the parts are expanded by the recursion
        int dots = body.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
            throw new ArgumentException($"Shard pattern '{pattern}': '{{{body}}}' is neither a range {{a..b}} nor a list {{x,y}}.", nameof(pattern));
        return Range(body[..dots], body[(dots + 2)..], pattern);
    }

    private static IEnumerable<string> Range(string from, string to, string pattern)
    {
        if (!long.TryParse(from, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long a) ||
            !long.TryParse(to, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long b))
            throw new ArgumentException($"Shard pattern '{pattern}': range '{{{from}..{to}}}' must have integer bounds.", nameof(pattern));
        bool padded = HasLeadingZero(from) || HasLeadingZero(to);
        int width = padded ? Math.Max(from.TrimStart('-').Length, to.TrimStart('-').Length) : 0;
        long step = a <= b ? 1 : -1;
        for (long v = a; ; v += step)
        {
            string digits = Math.Abs(v).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            yield return v < 0 ? "-" + digits : digits;
            if (v == b) yield break;
        }
    }

    private static bool HasLeadingZero(string bound)
    {
        string digits = bound.TrimStart('-');
        return digits.Length > 1 && digits[0] == '0';
    }

    private static List<string> SplitTopLevel(string body)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        int depth = 0;
        foreach (char c in body)
        {
            if (c == ',' && depth == 0)
            {
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }
            if (c == '{') depth++;
            else if (c == '}') depth--;
            current.Append(c);
        }
        parts.Add(current.ToString());
        return parts;
    }

    private static List<string> List(string dir, string filePattern, string pattern)
    {
        var files = Directory.GetFiles(dir, filePattern).Where(File.Exists).ToList();
        files.Sort(StringComparer.Ordinal);
        if (files.Count == 0)
            throw new FileNotFoundException($"Shard pattern '{pattern}' matches no file ('{filePattern}' in '{dir}'); expected webdataset .tar shards as img2dataset writes them.");
        return files;
    }
}
