using System.Text.Json;
using Tcl.IO;

namespace Tcl.Evaluation.Metrics;

/// <summary>
/// JSON form of <see cref="SegmentationScores"/>: the settings, the summary values (also as mmseg reports them), and
/// per class its name, IoU, Acc and the four integer totals, and the out-of-range pixels with their files. NaN is written as <c>null</c> (as in the fixtures; JSON
/// has no NaN). Reading recomputes every score from the totals, so a round trip is exact. Files are written
/// atomically.
/// </summary>
public static class SegmentationScoresJson
{
    /// <summary>The scores as an indented JSON document.</summary>
    public static string Serialize(SegmentationScores scores)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("num_classes", scores.NumClasses);
            w.WriteNumber("ignore_index", scores.IgnoreIndex);
            w.WriteBoolean("reduce_zero_label", scores.ReduceZeroLabel);
            w.WriteNumber("images", scores.ImageCount);
            Number(w, "aAcc", scores.AAcc);
            Number(w, "mIoU", scores.MeanIoU);
            Number(w, "mAcc", scores.MeanAcc);
            Number(w, "aAcc_as_reported", scores.AAccAsReported);
            Number(w, "mIoU_as_reported", scores.MeanIoUAsReported);
            Number(w, "mAcc_as_reported", scores.MeanAccAsReported);
            w.WriteStartArray("classes");
            for (int c = 0; c < scores.NumClasses; c++)
            {
                w.WriteStartObject();
                w.WriteNumber("index", c);
                w.WriteString("name", scores.ClassNames[c]);
                Number(w, "IoU", scores.IoU[c]);
                Number(w, "Acc", scores.Acc[c]);
                w.WriteNumber("area_intersect", scores.Totals.Intersect[c]);
                w.WriteNumber("area_union", scores.Totals.Union[c]);
                w.WriteNumber("area_pred_label", scores.Totals.PredLabel[c]);
                w.WriteNumber("area_label", scores.Totals.Label[c]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            // Pixels mmseg drops without a word: ids outside 0..C−1 (and not the ignore index), with the files.
            w.WriteStartObject("out_of_range");
            w.WriteNumber("label_pixels", scores.Totals.OutOfRangeLabels);
            w.WriteNumber("prediction_pixels", scores.Totals.OutOfRangePredictions);
            w.WriteStartArray("files");
            foreach (var file in scores.OutOfRangeFiles)
            {
                w.WriteStartObject();
                w.WriteString("path", file.Path);
                w.WriteString("side", file.Side == LabelSide.GroundTruth ? "ground_truth" : "prediction");
                w.WriteNumber("pixels", file.Pixels);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes <paramref name="scores"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, SegmentationScores scores) => AtomicFile.WriteText(path, Serialize(scores) + "\n");

    /// <summary>Reads a file written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a scores document; the message names it and the missing field.</exception>
    public static SegmentationScores Read(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}' is not a segmentation scores JSON file (expected the fields written by SegmentationScoresJson): {e.Message}", e);
        }
    }

    /// <summary>Parses a document produced by <see cref="Serialize"/>.</summary>
    public static SegmentationScores Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var classes = root.GetProperty("classes").EnumerateArray().ToArray();
        long[] Column(string name) => classes.Select(c => c.GetProperty(name).GetInt64()).ToArray();
        // "out_of_range" is absent from files written before it existed.
        bool hasOut = root.TryGetProperty("out_of_range", out var outOfRange);
        var totals = new ImageAreas(Column("area_intersect"), Column("area_union"), Column("area_pred_label"), Column("area_label"),
            hasOut ? outOfRange.GetProperty("label_pixels").GetInt64() : 0, hasOut ? outOfRange.GetProperty("prediction_pixels").GetInt64() : 0);
        var names = classes.Select(c => c.GetProperty("name").GetString() ?? "").ToArray();
        var files = hasOut
            ? outOfRange.GetProperty("files").EnumerateArray().Select(f => new OutOfRangeFile(f.GetProperty("path").GetString() ?? "",
                f.GetProperty("side").GetString() == "prediction" ? LabelSide.Prediction : LabelSide.GroundTruth, f.GetProperty("pixels").GetInt64())).ToList()
            : [];
        return new SegmentationScores(names, totals, root.GetProperty("images").GetInt32(),
            root.GetProperty("reduce_zero_label").GetBoolean(), root.GetProperty("ignore_index").GetInt32()) { OutOfRangeFiles = files };
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
