using Tcl.Data;
using Xunit;

namespace Tcl.Tests.Data;

/// <summary>Shard lists from brace patterns (as in the official configs), directories and globs.</summary>
public class ShardPatternTests
{
    [Fact]
    public void Cc3m_pattern_expands_to_348_zero_padded_shards()
    {
        // the official configs/default.yml writes the upper bound with five digits; braceexpand pads both to the
        // longer width
        var shards = ShardPattern.Expand("/data/cc3m/gcc-train-{000000..00347}.tar");

        Assert.Equal(348, shards.Count);
        Assert.Equal("/data/cc3m/gcc-train-000000.tar", shards[0]);
        Assert.Equal("/data/cc3m/gcc-train-000010.tar", shards[10]);
        Assert.Equal("/data/cc3m/gcc-train-000347.tar", shards[^1]);
        Assert.Equal(1176, ShardPattern.Expand("cc-{000000..001175}.tar").Count);
    }

    [Theory]
    [InlineData("s{0..3}", "s0 s1 s2 s3")]
    [InlineData("s{8..11}", "s8 s9 s10 s11")]
    [InlineData("s{07..10}", "s07 s08 s09 s10")]
    [InlineData("s{3..1}", "s3 s2 s1")]
    [InlineData("{a,b}-{1..2}.tar", "a-1.tar a-2.tar b-1.tar b-2.tar")]
    [InlineData("{x,y{1..2}}", "x y1 y2")]
    [InlineData("plain.tar", "plain.tar")]
    public void Brace_expansion_matches_braceexpand(string pattern, string expected) =>
        Assert.Equal(expected.Split(' '), ShardPattern.ExpandBraces(pattern));

    [Theory]
    [InlineData("s{0..3")]
    [InlineData("s0..3}")]
    [InlineData("s{a..c}")]
    [InlineData("s{abc}")]
    public void Malformed_patterns_are_rejected_with_the_pattern_in_the_message(string pattern)
    {
        var e = Assert.Throws<ArgumentException>(() => ShardPattern.Expand(pattern));
        Assert.Contains(pattern, e.Message);
    }

    [Fact]
    public void Directory_and_glob_list_tar_files_sorted()
    {
        using var dir = new TempDir();
        foreach (string name in new[] { "00002.tar", "00000.tar", "00001.tar", "00000.parquet", "00000_stats.json" })
            File.WriteAllBytes(dir.File(name), []);

        Assert.Equal(new[] { "00000.tar", "00001.tar", "00002.tar" }.Select(dir.File), ShardPattern.Expand(dir.Path));
        Assert.Equal(new[] { "00000.tar", "00001.tar", "00002.tar" }.Select(dir.File), ShardPattern.Expand(dir.File("0000?.tar")));
        Assert.Equal([dir.File("00002.tar")], ShardPattern.Expand(dir.File("*2.tar")));
        var e = Assert.Throws<FileNotFoundException>(() => ShardPattern.Expand(dir.File("*.tgz")));
        Assert.Contains("*.tgz", e.Message);
    }
}
