using System.Buffers.Binary;
using System.Text.Json;
using Tcl.Clip.Weights;
using Tcl.Grounding;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Clip;

/// <summary>
/// Weight files that are wrong are refused with a message that says what is wrong: a NaN or ±∞ in any tensor (named),
/// a safetensors header length beyond the file, a header that is not JSON, a tensor whose data lies past the end of a
/// truncated file, a directory given as a file.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class WeightsRefusalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-refusal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Clip => Fixtures.Path("clip_weights.safetensors");

    [Theory]
    [InlineData(float.NaN, 1L, 0L)]
    [InlineData(float.PositiveInfinity, 0L, 1L)]
    [InlineData(float.NegativeInfinity, 0L, 1L)]
    public void NonFiniteValueInAnyClipTensorIsRefusedNamingTheTensor(float value, long nans, long infinities)
    {
        // The last key in name order: not one of the keys the architecture is inferred from, so only the general check sees it.
        string key = "";
        var path = WeightFileEdits.Edited(Clip, Path.Combine(_dir, "clip.safetensors"), t =>
        {
            key = t.Keys.Where(k => t[k].is_floating_point() && t[k].numel() > 3).Order(StringComparer.Ordinal).Last();
            t[key] = WeightFileEdits.WithValue(t[key], 3, value);
        });

        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(key, error.Message);
        var bad = Assert.Single(error.NonFiniteTensors);
        Assert.Equal((key, nans, infinities), (bad.Key, bad.NaNs, bad.Infinities));

        // The same file through the TCL loader (evaluate, train) is refused as well.
        using var model = new TclModel(WeightFixtures.SharedClip().Config);
        Assert.Contains(key, Assert.Throws<WeightLoadException>(() => TclWeights.LoadClip(model, path)).Message);
    }

    [Fact]
    public void NonFiniteLearnedTclWeightIsRefusedNamingTheTensor()
    {
        const string key = "masker.sim2mask.w";
        var path = WeightFileEdits.Edited(Fixtures.Path("tcl_weights.safetensors"), Path.Combine(_dir, "tcl.safetensors"),
            t => t[key] = WeightFileEdits.WithValue(t[key], 0, float.NaN));
        using var model = TclFixtureModelWithoutLearned();

        var error = Assert.Throws<WeightLoadException>(() => TclWeights.LoadLearned(model, path));
        Assert.Contains(path, error.Message);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void NonFiniteWeightInATrainingCheckpointIsRefusedNamingTheTensor()
    {
        const string key = "masker.image_encoder.decoder.image_proj.proj";
        var path = TrainingCheckpointFiles.FromFixture(Path.Combine(_dir, "checkpoint-0000005.safetensors"),
            edit: t => t[key] = WeightFileEdits.WithValue(t[key], 1, float.PositiveInfinity));
        using var model = TclFixtureModelWithoutLearned();

        var error = Assert.Throws<WeightLoadException>(() => TclWeights.LoadLearned(model, path));
        Assert.Contains(path, error.Message);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsReportedWithBothSizes()
    {
        var bytes = File.ReadAllBytes(Clip);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var path = Path.Combine(_dir, "cut-in-header.safetensors");
        File.WriteAllBytes(path, bytes[..(8 + (int)length / 2)]);

        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains($"header length {length}", error.Message);
        Assert.Contains($"exceeds the file size: 8 + {length} > {8 + length / 2} bytes", error.Message);
    }

    [Fact]
    public void WrongHeaderLengthThatCutsTheJsonIsReported()
    {
        var bytes = File.ReadAllBytes(Clip);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length - 40);
        var path = Path.Combine(_dir, "short-length.safetensors");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("header", error.Message);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void TruncatedBodyNamesTheTensorPastTheEndAndTheFileSize()
    {
        var bytes = File.ReadAllBytes(Clip);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        // The tensor stored last is the first whose data a truncation cuts.
        using var header = JsonDocument.Parse(bytes.AsMemory(8, length));
        var last = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .MaxBy(p => p.Value.GetProperty("data_offsets")[1].GetInt64()).Name;
        var path = Path.Combine(_dir, "truncated.safetensors");
        File.WriteAllBytes(path, bytes[..^16]);

        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains($"tensor '{last}' has data_offsets", error.Message);
        Assert.Contains($"past the end of the file of {bytes.Length - 16} bytes", error.Message);
    }

    [Fact]
    public void DirectoryGivenAsAWeightFileIsReportedAsADirectory()
    {
        File.Copy(Clip, Path.Combine(_dir, "inside.safetensors"));
        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(_dir));
        Assert.Contains(_dir, error.Message);
        Assert.Contains("is a directory", error.Message);
        Assert.Contains("inside.safetensors", error.Message);

        using var model = TclFixtureModelWithoutLearned();
        Assert.Contains("is a directory", Assert.Throws<WeightLoadException>(() => TclWeights.LoadLearned(model, _dir)).Message);
    }

    private static TclModel TclFixtureModelWithoutLearned()
    {
        var model = new TclModel(WeightFixtures.SharedClip().Config, TrainingCheckpointFiles.FixtureGrounder());
        TclWeights.LoadClip(model, Clip);
        return model;
    }
}
