using System.Collections;
using Tcl.Clip.Weights;
using Tcl.Tests.Support;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Tests.Clip;

/// <summary>
/// Hugging Face <c>CLIPModel</c> checkpoints read back to the OpenAI state dict they were converted from. The
/// HF-named files are written here from the fixture with names typed out from transformers' <c>modeling_clip.py</c>
/// (independently of the library's mapping), and the generated name list is checked against that naming first.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class WeightsHuggingFaceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-hf-").FullName;
    private readonly Dictionary<string, Tensor> _openAi;

    public WeightsHuggingFaceTests() => _openAi = StateDictReader.Read(WeightFixtures.File("clip_weights.safetensors"), out _);

    public void Dispose()
    {
        WeightsReadingTests.DisposeAll(_openAi);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void GeneratedNamesAreExactlyHuggingFacesClipModelNames()
    {
        var dims = WeightFixtures.SharedClip().Dims;
        using var scope = NewDisposeScope();
        var hf = ToHuggingFace(_openAi);
        Assert.Equal(ExpectedHuggingFaceKeys(dims["vision_layers"], dims["transformer_layers"]).Order(StringComparer.Ordinal),
            hf.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void HuggingFaceSafetensorsRoundTripsToTheOpenAiStateDict()
    {
        var path = Path.Combine(_dir, "model.safetensors");
        using (NewDisposeScope()) SafetensorsTestWriter.Write(path, ToHuggingFace(_openAi));

        var read = StateDictReader.Read(path, out var format);
        try
        {
            Assert.Equal(WeightFormat.HuggingFaceSafetensors, format);
            AssertSame(_openAi, read, halfPrecision: false);
        }
        finally
        {
            WeightsReadingTests.DisposeAll(read);
        }
    }

    [Fact]
    public void HalfPrecisionHuggingFaceSafetensorsReadAsFloat32()
    {
        var path = Path.Combine(_dir, "model.fp16.safetensors");
        using (NewDisposeScope()) SafetensorsTestWriter.Write(path, ToHuggingFace(_openAi), ScalarType.Float16);

        var read = StateDictReader.Read(path, out _);
        try
        {
            AssertSame(_openAi, read, halfPrecision: true);
        }
        finally
        {
            WeightsReadingTests.DisposeAll(read);
        }
    }

    [Fact]
    public void HuggingFacePytorchModelBinRoundTrips()
    {
        var path = Path.Combine(_dir, "pytorch_model.bin");
        using (NewDisposeScope())
        {
            var table = new Hashtable();
            foreach (var (key, tensor) in ToHuggingFace(_openAi)) table[key] = tensor;
            PyTorchPickler.PickleStateDict(path, table);
        }

        using var checkpoint = ClipWeights.Read(path);
        Assert.Equal(WeightFormat.HuggingFacePyTorch, checkpoint.Format);
        AssertSame(_openAi, checkpoint.StateDict, halfPrecision: false);
    }

    [Fact]
    public void IncompleteAttentionProjectionsAreNamed()
    {
        var path = Path.Combine(_dir, "broken.safetensors");
        const string dropped = "text_model.encoder.layers.0.self_attn.k_proj.bias";
        using (NewDisposeScope())
            SafetensorsTestWriter.Write(path, ToHuggingFace(_openAi).Where(kv => kv.Key != dropped).ToDictionary());

        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(dropped, error.Message);
    }

    private static void AssertSame(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual, bool halfPrecision)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in expected)
        {
            using var scope = NewDisposeScope();
            Assert.Equal(ScalarType.Float32, actual[key].dtype);
            var want = halfPrecision ? tensor.to(ScalarType.Float16).to(ScalarType.Float32) : tensor;
            Assert.True(BitwiseTensors.Identical(want, actual[key]), $"{key} differs after the Hugging Face round trip");
        }
    }

    /// <summary>
    /// OpenAI → HF as transformers' conversion script does it: split the packed q|k|v projection, transpose the two
    /// output projections, rename; plus the <c>position_ids</c> buffers older HF checkpoints store.
    /// </summary>
    private static Dictionary<string, Tensor> ToHuggingFace(IReadOnlyDictionary<string, Tensor> openAi)
    {
        var hf = new Dictionary<string, Tensor>
        {
            ["logit_scale"] = openAi["logit_scale"],
            ["visual_projection.weight"] = openAi["visual.proj"].t().contiguous(),
            ["text_projection.weight"] = openAi["text_projection"].t().contiguous(),
            ["vision_model.embeddings.class_embedding"] = openAi["visual.class_embedding"],
            ["vision_model.embeddings.patch_embedding.weight"] = openAi["visual.conv1.weight"],
            ["vision_model.embeddings.position_embedding.weight"] = openAi["visual.positional_embedding"],
            ["vision_model.embeddings.position_ids"] = Scalars.Arange(openAi["visual.positional_embedding"].shape[0]).unsqueeze(0),
            ["vision_model.pre_layrnorm.weight"] = openAi["visual.ln_pre.weight"],
            ["vision_model.pre_layrnorm.bias"] = openAi["visual.ln_pre.bias"],
            ["vision_model.post_layernorm.weight"] = openAi["visual.ln_post.weight"],
            ["vision_model.post_layernorm.bias"] = openAi["visual.ln_post.bias"],
            ["text_model.embeddings.token_embedding.weight"] = openAi["token_embedding.weight"],
            ["text_model.embeddings.position_embedding.weight"] = openAi["positional_embedding"],
            ["text_model.embeddings.position_ids"] = Scalars.Arange(openAi["positional_embedding"].shape[0]).unsqueeze(0),
            ["text_model.final_layer_norm.weight"] = openAi["ln_final.weight"],
            ["text_model.final_layer_norm.bias"] = openAi["ln_final.bias"],
        };
        foreach (var (tower, prefix) in new[] { ("vision_model", "visual.transformer"), ("text_model", "transformer") })
        {
            for (int i = 0; openAi.ContainsKey($"{prefix}.resblocks.{i}.ln_1.weight"); i++)
            {
                string from = $"{prefix}.resblocks.{i}.", to = $"{tower}.encoder.layers.{i}.";
                foreach (var kind in new[] { "weight", "bias" })
                {
                    // Clones: each part owns its storage, as separate nn.Linear parameters do (PyBridge's pickler
                    // would otherwise record the chunk's storage offset without writing the whole storage).
                    var qkv = openAi[$"{from}attn.in_proj_{kind}"].chunk(3, 0);
                    hf[$"{to}self_attn.q_proj.{kind}"] = qkv[0].clone();
                    hf[$"{to}self_attn.k_proj.{kind}"] = qkv[1].clone();
                    hf[$"{to}self_attn.v_proj.{kind}"] = qkv[2].clone();
                    hf[$"{to}self_attn.out_proj.{kind}"] = openAi[$"{from}attn.out_proj.{kind}"];
                    hf[$"{to}layer_norm1.{kind}"] = openAi[$"{from}ln_1.{kind}"];
                    hf[$"{to}mlp.fc1.{kind}"] = openAi[$"{from}mlp.c_fc.{kind}"];
                    hf[$"{to}mlp.fc2.{kind}"] = openAi[$"{from}mlp.c_proj.{kind}"];
                    hf[$"{to}layer_norm2.{kind}"] = openAi[$"{from}ln_2.{kind}"];
                }
            }
        }
        return hf;
    }

    /// <summary><c>CLIPModel(config).state_dict().keys()</c> of transformers (with persistent position_ids, as in
    /// checkpoints saved before they became non-persistent), typed out from modeling_clip.py.</summary>
    private static IEnumerable<string> ExpectedHuggingFaceKeys(int visionLayers, int textLayers)
    {
        string[] top =
        [
            "text_model.embeddings.token_embedding.weight", "text_model.embeddings.position_embedding.weight",
            "text_model.embeddings.position_ids", "text_model.final_layer_norm.weight", "text_model.final_layer_norm.bias",
            "vision_model.embeddings.class_embedding", "vision_model.embeddings.patch_embedding.weight",
            "vision_model.embeddings.position_embedding.weight", "vision_model.embeddings.position_ids",
            "vision_model.pre_layrnorm.weight", "vision_model.pre_layrnorm.bias",
            "vision_model.post_layernorm.weight", "vision_model.post_layernorm.bias",
            "visual_projection.weight", "text_projection.weight", "logit_scale",
        ];
        string[] layer =
        [
            "self_attn.k_proj.weight", "self_attn.k_proj.bias", "self_attn.v_proj.weight", "self_attn.v_proj.bias",
            "self_attn.q_proj.weight", "self_attn.q_proj.bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "layer_norm1.weight", "layer_norm1.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias",
            "layer_norm2.weight", "layer_norm2.bias",
        ];
        return top
            .Concat(Enumerable.Range(0, visionLayers).SelectMany(i => layer.Select(s => $"vision_model.encoder.layers.{i}.{s}")))
            .Concat(Enumerable.Range(0, textLayers).SelectMany(i => layer.Select(s => $"text_model.encoder.layers.{i}.{s}")));
    }
}
