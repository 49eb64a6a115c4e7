using System.Text.Json;
using Tcl.Clip;

namespace Tcl.Cli.Benchmarks;

/// <summary>Tokenizer throughput on a prompt list.</summary>
/// <param name="Prompts">Number of prompts per batch.</param>
/// <param name="Timing">Wall time of tokenizing the whole batch into the int64 tensor.</param>
public sealed record TokenizerResult(int Prompts, Timing Timing)
{
    public double PromptsPerSecond => Prompts / Timing.Median;
}

/// <summary><see cref="ClipTokenizer.Tokenize(IReadOnlyList{string}, int, bool)"/> on a list of prompts, warm.</summary>
public static class TokenizerBenchmark
{
    /// <summary>
    /// Prompts from a file: a JSON-lines file whose rows have a <c>prompt</c> field (e.g.
    /// <c>golden_prompt_tokens.jsonl</c>: every class × template of the 8 benchmarks), or plain text, one per line.
    /// </summary>
    public static IReadOnlyList<string> ReadPrompts(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Prompt file '{path}' not found.", path);
        var prompts = new List<string>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Length == 0) continue;
            if (!line.StartsWith('{')) { prompts.Add(line); continue; }
            using var row = JsonDocument.Parse(line);
            if (!row.RootElement.TryGetProperty("prompt", out var prompt) || prompt.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{path}:{lineNo}: a JSON row needs a string field 'prompt'.");
            prompts.Add(prompt.GetString()!);
        }
        if (prompts.Count == 0) throw new InvalidDataException($"{path}: no prompts.");
        return prompts;
    }

    public static TokenizerResult Run(IReadOnlyList<string> prompts, int warmup, int runs)
    {
        var tokenizer = ClipTokenizer.Default;
        var timing = BenchmarkClock.Measure($"tokenize {prompts.Count} prompts", warmup, runs, () => tokenizer.Tokenize(prompts).Dispose());
        return new TokenizerResult(prompts.Count, timing);
    }
}
