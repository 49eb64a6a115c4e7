using System.Text.Json;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data.Transforms;
using Xunit;

namespace Tcl.Tests.Data.Transforms;

/// <summary>
/// Every RandAugment op against Pillow 9.4 on a 24×20 image (<c>fixtures-extra/pil_ops.json</c>, written by
/// <c>make_pil_ops.py</c> with the calls timm 0.6.7 makes: bilinear, fill (124, 116, 104)). Byte-exact.
/// </summary>
public class PilParityTests
{
    private static readonly Rgb24 Fill = new(124, 116, 104);

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Load().GetProperty("cases").GetArrayLength())];

    /// <summary>The fixture's root object.</summary>
    internal static JsonElement Load() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures-extra", "pil_ops.json"))).RootElement;

    /// <summary>The fixture's input image.</summary>
    internal static RgbPixels Input(JsonElement root) =>
        new(root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32(),
            Convert.FromBase64String(root.GetProperty("input").GetString()!));

    [Theory]
    [MemberData(nameof(Cases))]
    public void OpMatchesPillowExactly(int index)
    {
        var root = Load();
        var input = Input(root);
        var c = root.GetProperty("cases")[index];
        var op = Enum.Parse<RandAugmentOp>(c.GetProperty("op").GetString()!);
        double argument = c.GetProperty("argument").GetDouble();
        var expected = Convert.FromBase64String(c.GetProperty("output").GetString()!);

        RandAugment.ApplyOp(input, op, argument, Fill);

        int diff = expected.Zip(input.Data).Count(p => p.First != p.Second);
        Assert.True(diff == 0, $"{op}({argument}): {diff} of {expected.Length} bytes differ from Pillow");
    }
}

/// <summary>The resize of RandomResizedCrop (ImageSharp's triangle resampler) against Pillow's BILINEAR resize: close, not exact.</summary>
public class PilResizeParityTests
{
    public static TheoryData<int> Cases() => [0, 1, 2];

    [Theory]
    [MemberData(nameof(Cases))]
    public void CropResizeIsWithinOneLevelOfPillow(int index)
    {
        var root = PilParityTests.Load();
        var input = PilParityTests.Input(root);
        var c = root.GetProperty("resizes")[index];
        var box = new CropBox(c.GetProperty("top").GetInt32(), c.GetProperty("left").GetInt32(),
            c.GetProperty("height").GetInt32(), c.GetProperty("width").GetInt32());
        var expected = Convert.FromBase64String(c.GetProperty("output").GetString()!);
        using var image = input.ToImage();
        using var resized = RandomResizedCrop.CropAndResize(image, box, c.GetProperty("size").GetInt32());
        var actual = RgbPixels.FromImage(resized).Data;
        int maxDiff = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(maxDiff <= 1, $"crop {box} → max difference {maxDiff} grey levels from Pillow");
    }
}
