using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tcl.Clip;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Tests.Clip;

/// <summary>
/// Parity of <see cref="ClipTokenizer"/> with OpenAI CLIP's tokenizer: the tokenizer fixture (strings run through
/// the official <c>Tokenize(77, truncate=True)</c> with ftfy 6.1.1), the 5,202 evaluation prompts and the extra
/// edge cases of the spec. Sizes, strings and ids are read from the files, never assumed.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public class ClipTokenizerTests
{
    private static readonly ClipTokenizer Tokenizer = ClipTokenizer.Default;

    /// <summary>One string of tokenizer.json with what the official tokenizer made of it.</summary>
    private sealed record FixtureString(string Text, int[] BpeIds, int IdsWithSotEot, bool Truncated, bool RaisesWithoutTruncation, string Decoded);

    private sealed record TokenizerFixture(IReadOnlyList<FixtureString> Strings, int Sot, int Eot, int ContextLength);

    private static TokenizerFixture LoadFixture()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("tokenizer.json")));
        JsonElement root = doc.RootElement;
        var strings = root.GetProperty("per_string").EnumerateArray().Select(e => new FixtureString(
            e.GetProperty("text").GetString()!,
            e.GetProperty("bpe_ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            e.GetProperty("n_ids_with_sot_eot").GetInt32(),
            e.GetProperty("truncated").GetBoolean(),
            e.GetProperty("tokenize_truncate_false_raises").GetBoolean(),
            e.GetProperty("decoded").GetString()!)).ToList();
        // per_string follows the row order of `strings` (and of the tokens tensor).
        Assert.Equal(root.GetProperty("strings").EnumerateArray().Select(s => s.GetString()), strings.Select(s => s.Text));
        return new TokenizerFixture(strings, root.GetProperty("sot_token").GetInt32(), root.GetProperty("eot_token").GetInt32(),
            root.GetProperty("context_length").GetInt32());
    }

    /// <summary>A row of golden ids: the prompt or text and its exact CLIP ids (SOT … EOT, padding omitted).</summary>
    private sealed record GoldenRow(string Text, long[] TokenIds, int? EotPosition);

    private static List<GoldenRow> LoadGolden(string file, string textField) =>
        File.ReadLines(Fixtures.SpecData(file)).Where(line => line.Length > 0).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement;
            return new GoldenRow(
                e.GetProperty(textField).GetString()!,
                e.GetProperty("token_ids").EnumerateArray().Select(x => x.GetInt64()).ToArray(),
                e.TryGetProperty("eot_position", out JsonElement eot) ? eot.GetInt32() : null);
        }).ToList();

    /// <summary>A text quoted as a JSON string, so control characters and invisible spaces show in failure messages.</summary>
    private static string Describe(string text) => JsonSerializer.Serialize(text, QuotingOptions);

    private static readonly JsonSerializerOptions QuotingOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void VocabularyIsBuiltAsClipBuildsIt()
    {
        TokenizerFixture fixture = LoadFixture();
        ClipVocabulary vocabulary = Tokenizer.Vocabulary;
        Assert.Equal(49_408, vocabulary.Tokens.Count);
        Assert.Equal(ClipVocabulary.MergeCount, vocabulary.Merges.Count);
        Assert.Equal(fixture.Sot, Tokenizer.StartOfTextId);
        Assert.Equal(fixture.Eot, Tokenizer.EndOfTextId);
        // Byte symbols in bytes_to_unicode order, then the same with </w>, then merges, then the special tokens.
        Assert.Equal("!", vocabulary.Tokens[0]);
        Assert.Equal("Ā", vocabulary.Tokens[188]); // byte 0x00, the first shifted byte
        Assert.Equal("!</w>", vocabulary.Tokens[256]);
        Assert.Equal("in", vocabulary.Tokens[512]); // first merge "i n"
        Assert.Equal("<|startoftext|>", vocabulary.Tokens[49_406]);
        Assert.Equal("<|endoftext|>", vocabulary.Tokens[49_407]);
        Assert.Equal(fixture.Eot, vocabulary.Ids["<|endoftext|>"]);
    }

    [Fact]
    public void TokensTensorMatchesFixtureRowByRow()
    {
        using var scope = NewDisposeScope(); // row views and intermediate tensors
        TokenizerFixture fixture = LoadFixture();
        var file = TorchSharp.PyBridge.Safetensors.LoadStateDict(Fixtures.Path("tokenizer.safetensors"));
        using Tensor expected = file["tokens"];
        Assert.Equal(new long[] { fixture.Strings.Count, fixture.ContextLength }, expected.shape);

        using Tensor actual = Tokenizer.Tokenize(fixture.Strings.Select(s => s.Text).ToList(), fixture.ContextLength);
        Assert.Equal(ScalarType.Int64, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);

        var failures = new List<string>();
        for (int i = 0; i < fixture.Strings.Count; i++)
        {
            long[] want = expected[i].data<long>().ToArray();
            long[] got = actual[i].data<long>().ToArray();
            int position = FirstDifference(want, got);
            if (position >= 0)
                failures.Add($"row {i} {Describe(fixture.Strings[i].Text)}: first difference at position {position}, expected {want[position]}, got {got[position]}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static int FirstDifference(long[] expected, long[] actual)
    {
        for (int k = 0; k < Math.Min(expected.Length, actual.Length); k++)
        {
            if (expected[k] != actual[k]) return k;
        }
        return expected.Length == actual.Length ? -1 : Math.Min(expected.Length, actual.Length);
    }

    [Fact]
    public void LengthsAndEotIndexMatchFixture()
    {
        using var scope = NewDisposeScope(); // row views and intermediate tensors
        TokenizerFixture fixture = LoadFixture();
        var file = TorchSharp.PyBridge.Safetensors.LoadStateDict(Fixtures.Path("tokenizer.safetensors"));
        using Tensor lengths = file["lengths"];
        using Tensor eotIndex = file["eot_index"];
        using Tensor tokens = Tokenizer.Tokenize(fixture.Strings.Select(s => s.Text).ToList(), fixture.ContextLength);

        // Non-padding ids per row (the fixture's definition), and the position the text tower pools (argmax).
        using Tensor ourLengths = tokens.ne(Scalars.Zero).sum(1, type: ScalarType.Int64);
        using Tensor ourEot = tokens.argmax(-1);
        Assert.Equal(lengths.data<long>().ToArray(), ourLengths.data<long>().ToArray());
        Assert.Equal(eotIndex.data<long>().ToArray(), ourEot.data<long>().ToArray());
        for (int i = 0; i < fixture.Strings.Count; i++)
        {
            Assert.Equal(Math.Min(fixture.Strings[i].IdsWithSotEot, fixture.ContextLength), lengths[i].item<long>());
        }
    }

    [Fact]
    public void BpeIdsMatchFixture()
    {
        foreach (FixtureString s in LoadFixture().Strings)
        {
            int[] ids = Tokenizer.Encode(s.Text);
            Assert.True(s.BpeIds.SequenceEqual(ids),
                $"{Describe(s.Text)}: expected [{string.Join(", ", s.BpeIds)}], got [{string.Join(", ", ids)}]");
            Assert.Equal(s.IdsWithSotEot, ids.Length + 2);
        }
    }

    [Fact]
    public void DecodeMatchesFixture()
    {
        // The fixture's `decoded` is SimpleTokenizer.decode(bpe_ids): no SOT/EOT, a space after every word.
        foreach (FixtureString s in LoadFixture().Strings)
        {
            Assert.Equal(s.Decoded, Tokenizer.Decode(s.BpeIds));
            Assert.Equal(s.Decoded, Tokenizer.Decode(s.BpeIds.Select(id => (long)id)));
        }
    }

    [Fact]
    public void TruncationMatchesFixture()
    {
        TokenizerFixture fixture = LoadFixture();
        Assert.Contains(fixture.Strings, s => s.Truncated); // the fixture exercises truncation
        foreach (FixtureString s in fixture.Strings)
        {
            Assert.Equal(s.IdsWithSotEot > fixture.ContextLength, s.Truncated);
            long[] row = Tokenizer.EncodeWithSpecials(s.Text, fixture.ContextLength);
            Assert.Equal(Math.Min(s.IdsWithSotEot, fixture.ContextLength), row.Length);
            Assert.Equal(fixture.Sot, row[0]);
            Assert.Equal(fixture.Eot, row[^1]);
            // Truncation is tokens[:context_length] with the last id overwritten, not a re-encoding.
            Assert.Equal(s.BpeIds.Take(row.Length - 2).Select(id => (long)id), row[1..^1]);

            if (s.RaisesWithoutTruncation)
            {
                var error = Assert.Throws<ArgumentException>(() => Tokenizer.EncodeWithSpecials(s.Text, fixture.ContextLength, truncate: false));
                Assert.Contains(s.IdsWithSotEot.ToString(), error.Message);
                Assert.Contains(s.Text[..Math.Min(20, s.Text.Length)], error.Message);
                Assert.Throws<ArgumentException>(() => Tokenizer.Tokenize([s.Text], fixture.ContextLength, truncate: false));
            }
            else
            {
                Assert.Equal(row, Tokenizer.EncodeWithSpecials(s.Text, fixture.ContextLength, truncate: false));
            }
        }
    }

    [Fact]
    public void EveryGoldenPromptMatches()
    {
        List<GoldenRow> golden = LoadGolden("golden_prompt_tokens.jsonl", "prompt");
        Assert.True(golden.Count > 0);
        var failures = new List<string>();
        foreach (GoldenRow row in golden)
        {
            long[] ids = Tokenizer.EncodeWithSpecials(row.Text);
            if (!ids.SequenceEqual(row.TokenIds))
                failures.Add($"{Describe(row.Text)}: expected [{string.Join(", ", row.TokenIds)}], got [{string.Join(", ", ids)}]");
            else if (Array.IndexOf(ids, (long)Tokenizer.EndOfTextId) != row.EotPosition)
                failures.Add($"{Describe(row.Text)}: EOT at {Array.IndexOf(ids, (long)Tokenizer.EndOfTextId)}, expected {row.EotPosition}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {golden.Count} prompts differ:\n" + string.Join("\n", failures.Take(20)));

        // The batched tensor pools where the goldens say.
        using Tensor tokens = Tokenizer.Tokenize(golden.Select(g => g.Text).ToList());
        using Tensor eot = tokens.argmax(-1);
        Assert.Equal(golden.Select(g => (long)g.EotPosition!.Value), eot.data<long>().ToArray());
    }

    [Fact]
    public void ExtraGoldensMatch()
    {
        List<GoldenRow> extra = LoadGolden("golden_tokenizer_extra.jsonl", "text");
        Assert.True(extra.Count > 0);
        foreach (GoldenRow row in extra)
        {
            long[] ids = Tokenizer.EncodeWithSpecials(row.Text);
            Assert.True(ids.SequenceEqual(row.TokenIds),
                $"{Describe(row.Text)}: expected [{string.Join(", ", row.TokenIds)}], got [{string.Join(", ", ids)}]");
        }
    }

    [Fact]
    public void TokenizeReturnsZeroPaddedInt64Batch()
    {
        using var scope = NewDisposeScope(); // row views and intermediate tensors
        string[] texts = ["a photo of a cat.", "", "a diagram"];
        using Tensor tokens = Tokenizer.Tokenize(texts);
        Assert.Equal(ScalarType.Int64, tokens.dtype);
        Assert.Equal(new long[] { 3, ClipTokenizer.DefaultContextLength }, tokens.shape);
        for (int i = 0; i < texts.Length; i++)
        {
            long[] row = tokens[i].data<long>().ToArray();
            long[] ids = Tokenizer.EncodeWithSpecials(texts[i]);
            Assert.Equal(ids, row[..ids.Length]);
            Assert.All(row[ids.Length..], id => Assert.Equal(0L, id));
        }
        Assert.Equal(new long[] { Tokenizer.StartOfTextId, Tokenizer.EndOfTextId, 0 }, tokens[1].narrow(0, 0, 3).data<long>().ToArray());

        using Tensor short16 = Tokenizer.Tokenize(texts, contextLength: 16);
        Assert.Equal(new long[] { 3, 16 }, short16.shape);
        using Tensor single = Tokenizer.Tokenize("a photo of a cat.");
        Assert.Equal(tokens[0].data<long>().ToArray(), single[0].data<long>().ToArray());
        using Tensor empty = Tokenizer.Tokenize(Array.Empty<string>());
        Assert.Equal(new long[] { 0, ClipTokenizer.DefaultContextLength }, empty.shape);
    }

    [Fact]
    public void TruncationForcesEotIntoTheLastSlot()
    {
        string caption = string.Join(' ', Enumerable.Repeat("word", 100));
        long[] row = Tokenizer.EncodeWithSpecials(caption, contextLength: 10);
        Assert.Equal(10, row.Length);
        Assert.Equal(Tokenizer.StartOfTextId, row[0]);
        Assert.Equal(Tokenizer.EndOfTextId, row[9]);
        Assert.All(row[1..9], id => Assert.Equal(Tokenizer.Encode("word")[0], id));
        var error = Assert.Throws<ArgumentException>(() => Tokenizer.Tokenize([caption], 10, truncate: false));
        Assert.Contains("102", error.Message); // 100 words + SOT + EOT
        Assert.Contains("word word", error.Message);
    }

    [Fact]
    public void DecodeRoundTripsFixtureAndGoldenIds()
    {
        // Decoding writes a space after every word; re-encoding the decoded text gives back the same ids.
        IEnumerable<int[]> idLists = LoadFixture().Strings.Select(s => s.BpeIds)
            .Concat(LoadGolden("golden_prompt_tokens.jsonl", "prompt").Select(g => g.TokenIds[1..^1].Select(id => (int)id).ToArray()));
        foreach (int[] ids in idLists)
        {
            string text = Tokenizer.Decode(ids);
            Assert.Equal(ids, Tokenizer.Encode(text));
        }
    }

    [Fact]
    public void DecodeFollowsSimpleTokenizer()
    {
        Assert.Equal("<|startoftext|>a <|endoftext|>", Tokenizer.Decode([Tokenizer.StartOfTextId, 320, Tokenizer.EndOfTextId]));
        Assert.Equal("!\"#", Tokenizer.Decode([0, 1, 2])); // padding ids are not skipped, as in CLIP
        // A lone UTF-8 lead byte (0xC3) decodes to U+FFFD like Python's errors="replace".
        int leadByte = Tokenizer.Vocabulary.Ids["Ã"];
        Assert.Equal("\ufffda ", Tokenizer.Decode([leadByte, 320]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([49_408]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([-1L]));
    }

    [Fact]
    public void MergesFileOnDiskGivesTheSameTokenizer()
    {
        string dir = Directory.CreateTempSubdirectory("tcl-bpe-").FullName;
        try
        {
            string gz = Path.Combine(dir, "bpe_simple_vocab_16e6.txt.gz");
            string plain = Path.Combine(dir, "bpe_simple_vocab_16e6.txt");
            using (Stream resource = typeof(ClipTokenizer).Assembly.GetManifestResourceStream("Tcl.Clip.bpe_simple_vocab_16e6.txt.gz")!)
            using (FileStream output = File.Create(gz))
                resource.CopyTo(output);
            using (var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress))
            using (FileStream output = File.Create(plain))
                input.CopyTo(output);

            foreach (string path in new[] { gz, plain })
            {
                ClipTokenizer fromFile = ClipTokenizer.FromMergesFile(path);
                Assert.Equal(Tokenizer.Vocabulary.Tokens, fromFile.Vocabulary.Tokens);
                Assert.Equal(Tokenizer.Encode("a photo of a teddy bear."), fromFile.Encode("a photo of a teddy bear."));
            }

            string truncatedFile = Path.Combine(dir, "short.txt");
            File.WriteAllLines(truncatedFile, File.ReadLines(plain).Take(1000), new UTF8Encoding(false));
            var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.FromMergesFile(truncatedFile));
            Assert.Contains("999", error.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ConcurrentEncodingGivesTheGoldenIds()
    {
        // The default instance is shared (e.g. by data-loader threads): parallel use must not disturb its caches.
        List<GoldenRow> golden = LoadGolden("golden_prompt_tokens.jsonl", "prompt");
        var results = new long[golden.Count][];
        Parallel.For(0, golden.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => results[i] = Tokenizer.EncodeWithSpecials(golden[i].Text));
        for (int i = 0; i < golden.Count; i++) Assert.Equal(golden[i].TokenIds, results[i]);
    }
}
