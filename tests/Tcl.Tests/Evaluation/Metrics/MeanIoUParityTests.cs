using System.Text.Json;
using Tcl.Evaluation.Metrics;
using Tcl.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Evaluation.Metrics;

/// <summary>
/// Parity with mmseg 0.27's <c>intersect_and_union</c> / <c>total_intersect_and_union</c> / <c>mean_iou</c> on the
/// <c>miou</c> fixture, for both reduce_zero_label settings. Integer areas must match exactly; IoU, Acc, aAcc and the
/// means are float64 divisions of the same integers, so they must match bit for bit. Shapes come from the files.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class MeanIoUParityTests
{
    [Theory]
    [InlineData("rzl0", false)]
    [InlineData("rzl1", true)]
    public void Matches_mmseg(string group, bool reduceZeroLabel)
    {
        using var scope = NewDisposeScope();
        var fx = TorchSharp.PyBridge.Safetensors.LoadStateDict(Fixtures.Path("miou.safetensors"));
        using var json = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("miou.json")));
        var meta = json.RootElement;
        var expected = meta.GetProperty("results").GetProperty(group);
        Assert.Equal(reduceZeroLabel, expected.GetProperty("reduce_zero_label").GetBoolean());
        int classes = meta.GetProperty("num_classes").GetInt32();
        Assert.Empty(meta.GetProperty("label_map").EnumerateObject());

        var preds = fx["preds"];   // [K, H, W] int64
        var labels = fx["labels"]; // [K, H, W] int64 holding uint8 values
        int images = (int)preds.shape[0], h = (int)preds.shape[1], w = (int)preds.shape[2];
        Assert.Equal(preds.shape, labels.shape);
        Assert.Equal(classes, (int)fx[$"{group}.total_area_intersect"].shape[0]);

        var metric = new MeanIoU(new SegmentationMetricConfig(classes, reduceZeroLabel, meta.GetProperty("ignore_index").GetInt32()));
        for (int k = 0; k < images; k++)
        {
            var pred = preds[k].contiguous().data<long>().ToArray();
            var label = labels[k].to(ScalarType.Byte).contiguous().data<byte>().ToArray();
            var before = (byte[])label.Clone();
            var areas = metric.Add(pred, label, w, h);
            Assert.Equal(before, label); // reduce_zero_label works on a lookup, never on the caller's array
            Assert.Equal(Row(fx[$"{group}.area_intersect"][k]), areas.Intersect);
            Assert.Equal(Row(fx[$"{group}.area_union"][k]), areas.Union);
            Assert.Equal(Row(fx[$"{group}.area_pred_label"][k]), areas.PredLabel);
            Assert.Equal(Row(fx[$"{group}.area_label"][k]), areas.Label);
        }

        var scores = metric.Scores();
        Assert.Equal(images, scores.ImageCount);
        Assert.Equal(Row(fx[$"{group}.total_area_intersect"]), scores.Totals.Intersect);
        Assert.Equal(Row(fx[$"{group}.total_area_union"]), scores.Totals.Union);
        Assert.Equal(Row(fx[$"{group}.total_area_pred_label"]), scores.Totals.PredLabel);
        Assert.Equal(Row(fx[$"{group}.total_area_label"]), scores.Totals.Label);

        Assert.Equal(Doubles(expected.GetProperty("IoU")), scores.IoU);
        Assert.Equal(Doubles(expected.GetProperty("Acc")), scores.Acc);
        Assert.Equal(expected.GetProperty("aAcc").GetDouble(), scores.AAcc);
        Assert.Equal(expected.GetProperty("mIoU_nanmean").GetDouble(), scores.MeanIoU);
        Assert.Equal(expected.GetProperty("mIoU_as_reported").GetDouble(), scores.MeanIoUAsReported);

        // The float32 copies in the safetensors file agree with the float64 values (NaN positions included).
        Assert.Equal(Floats(fx[$"{group}.IoU"]), scores.IoU.Select(v => (float)v).ToArray());
        Assert.Equal(Floats(fx[$"{group}.Acc"]), scores.Acc.Select(v => (float)v).ToArray());
        Assert.Equal(fx[$"{group}.aAcc"].item<float>(), (float)scores.AAcc);
        Assert.Equal(fx[$"{group}.mIoU"].item<float>(), (float)scores.MeanIoU);
    }

    [Fact]
    public void Tensor_overload_matches_the_span_path()
    {
        using var scope = NewDisposeScope();
        var fx = TorchSharp.PyBridge.Safetensors.LoadStateDict(Fixtures.Path("miou.safetensors"));
        var viaTensor = new MeanIoU(new SegmentationMetricConfig(6, ReduceZeroLabel: true));
        var viaSpan = new MeanIoU(new SegmentationMetricConfig(6, ReduceZeroLabel: true));
        var preds = fx["preds"];
        var labels = fx["labels"];
        for (int k = 0; k < preds.shape[0]; k++)
        {
            var labelCopy = labels[k].clone();
            viaTensor.Add(preds[k], labels[k]);
            Assert.True(BitwiseTensors.Identical(labelCopy, labels[k]));
            viaSpan.Add(preds[k].contiguous().data<long>().ToArray(), labels[k].to(ScalarType.Byte).contiguous().data<byte>().ToArray(),
                (int)preds.shape[2], (int)preds.shape[1]);
        }
        Assert.Equal(viaSpan.Totals(), viaTensor.Totals(), AreasComparer.Instance);
        Assert.Throws<ArgumentException>(() => viaTensor.Add(preds[0], labels[0][..10]));
    }

    private static long[] Row(Tensor t) => t.to(float64).contiguous().data<double>().ToArray().Select(v => checked((long)v)).ToArray();

    private static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();

    private static double[] Doubles(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble()).ToArray();
}

/// <summary>Compares per-class counts by value.</summary>
internal sealed class AreasComparer : IEqualityComparer<ImageAreas>
{
    public static AreasComparer Instance { get; } = new();

    public bool Equals(ImageAreas? a, ImageAreas? b) =>
        a is not null && b is not null && a.Intersect.SequenceEqual(b.Intersect) && a.Union.SequenceEqual(b.Union) &&
        a.PredLabel.SequenceEqual(b.PredLabel) && a.Label.SequenceEqual(b.Label);

    public int GetHashCode(ImageAreas a) => a.NumClasses;
}
