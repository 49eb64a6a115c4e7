using Tcl.Evaluation.Metrics;
using Xunit;

namespace Tcl.Tests.Evaluation.Metrics;

/// <summary>CSV and JSON writers: exact round trips (NaN included), quoting, atomic writes, clear errors.</summary>
public sealed class SegmentationScoresFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-scores-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SegmentationScores Sample()
    {
        var config = new SegmentationMetricConfig(4, ReduceZeroLabel: true,
            ClassNames: ["background", "potted plant, green", "say \"cheese\"", "never seen"]);
        var metric = new MeanIoU(config);
        metric.Add(new[] { 0, 1, 1, 2, 0, 2 }, new byte[] { 1, 2, 2, 3, 0, 255 }, 3, 2);
        metric.Add(new[] { 2, 2 }, new byte[] { 3, 1 }, 2, 1);
        return metric.Scores();
    }

    [Fact]
    public void Json_round_trip_is_exact()
    {
        var scores = Sample();
        Assert.Contains(scores.IoU, double.IsNaN);
        var path = Path.Combine(_dir, "scores.json");
        SegmentationScoresJson.Write(path, scores);
        var back = SegmentationScoresJson.Read(path);
        AssertSame(scores, back);
        Assert.Contains("\"mIoU_as_reported\"", File.ReadAllText(path));
        Assert.Contains("\"IoU\": null", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Csv_round_trip_is_exact_and_quotes_names()
    {
        var scores = Sample();
        var path = Path.Combine(_dir, "scores.csv");
        SegmentationScoresCsv.Write(path, scores);
        var lines = File.ReadAllLines(path);
        Assert.Equal(SegmentationScoresCsv.Header, lines[0]);
        Assert.Equal(scores.NumClasses + 2, lines.Length);
        Assert.StartsWith("1,\"potted plant, green\",", lines[2]);
        Assert.StartsWith(",mean,", lines[^1]);
        AssertSame(scores, SegmentationScoresCsv.Read(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Foreign_files_fail_with_their_name()
    {
        var path = Path.Combine(_dir, "other.csv");
        File.WriteAllText(path, "a,b\n1,2\n");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => SegmentationScoresCsv.Read(path)).Message);
        var json = Path.Combine(_dir, "other.json");
        File.WriteAllText(json, "{\"x\": 1}");
        Assert.Contains(json, Assert.Throws<InvalidDataException>(() => SegmentationScoresJson.Read(json)).Message);
    }

    private static void AssertSame(SegmentationScores expected, SegmentationScores actual)
    {
        Assert.Equal(expected.ClassNames, actual.ClassNames);
        Assert.Equal(expected.Totals, actual.Totals, AreasComparer.Instance);
        Assert.Equal(expected.ImageCount, actual.ImageCount);
        Assert.Equal(expected.ReduceZeroLabel, actual.ReduceZeroLabel);
        Assert.Equal(expected.IgnoreIndex, actual.IgnoreIndex);
        Assert.Equal(expected.IoU, actual.IoU);
        Assert.Equal(expected.Acc, actual.Acc);
        Assert.Equal(expected.AAcc, actual.AAcc);
        Assert.Equal(expected.MeanIoU, actual.MeanIoU);
        Assert.Equal(expected.MeanIoUAsReported, actual.MeanIoUAsReported);
    }
}
