using System.IO.Compression;
using Tcl.Clip.Weights;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Clip;

/// <summary>Files that are not (usable) CLIP checkpoints fail with a message that names the file and says what was
/// expected, whatever their extension.</summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class WeightsFileErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-weights-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("notes.pt", "these are not weights\n")]
    [InlineData("model.safetensors", "{\"not\": \"a header length\"}")]
    [InlineData("empty.bin", "")]
    public void NonCheckpointFileIsRejectedNamingTheFileAndTheExpectedFormats(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("expected an OpenAI CLIP TorchScript archive", error.Message);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void MissingFileIsReportedAsSuch()
    {
        var path = Path.Combine(_dir, "absent.pt");
        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void ZipWithoutCheckpointEntriesIsRejected()
    {
        var path = Path.Combine(_dir, "archive.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(zip.CreateEntry("archive/readme.txt").Open()))
            writer.Write("hello");
        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("without data.pkl or code/", error.Message);
    }

    [Fact]
    public void LegacyTorchSaveIsRecognisedAndExplained()
    {
        var path = Path.Combine(_dir, "old.pth");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("legacy", error.Message);
    }

    [Fact]
    public void BrokenTorchScriptArchiveReportsLibtorchsErrorWithTheFile()
    {
        var path = Path.Combine(_dir, "broken.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (var entry in new[] { "broken/code/__torch__.py", "broken/constants.pkl", "broken/data.pkl" })
                using (var writer = new StreamWriter(zip.CreateEntry(entry).Open()))
                    writer.Write("garbage");
        }
        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("TorchScript archive", error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void WeightsWithoutAKeyNeededForInferenceNameTheKey()
    {
        var path = Path.Combine(_dir, "no_projection.safetensors");
        var stateDict = StateDictReader.Read(WeightFixtures.File("clip_weights.safetensors"), out _);
        try
        {
            SafetensorsTestWriter.Write(path, stateDict.Where(kv => kv.Key != "text_projection").ToDictionary());
        }
        finally
        {
            WeightsReadingTests.DisposeAll(stateDict);
        }
        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("missing text_projection", error.Message);
    }

    [Fact]
    public void TorchSaveWithoutTensorsListsItsKeys()
    {
        var path = Path.Combine(_dir, "config_only.pt");
        TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(path, new System.Collections.Hashtable { ["epoch"] = 3, ["lr"] = 0.1 });
        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("epoch", error.Message);
    }

    [Fact]
    public void ResNetClipIsRejectedClearly()
    {
        var path = Path.Combine(_dir, "rn50.safetensors");
        using var scope = NewDisposeScope();
        SafetensorsTestWriter.Write(path, new Dictionary<string, Tensor>
        {
            ["visual.layer1.0.conv1.weight"] = zeros(4, 4, 1, 1),
            ["token_embedding.weight"] = zeros(10, 4),
        });
        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains("ResNet CLIP", error.Message);
    }
}
