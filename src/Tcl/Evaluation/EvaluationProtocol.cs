using Tcl.IO;

namespace Tcl.Evaluation;

/// <summary>
/// The settings of a zero-shot segmentation protocol as one versioned record (the paper's unified protocol; official
/// <c>configs/eval.yml</c>), so that every result can say which protocol produced it and other published protocols
/// (e.g. short side 336, 224/112 windows, no PAMR) run side by side. <see cref="Official"/> is TCL's unified protocol
/// (the main table, paper Table 2); <see cref="NoPamr"/> its appendix variant (Table 3 in the paper's appendix).
/// </summary>
/// <param name="Name">Identifier written into every result (e.g. <c>tcl</c>, <c>tcl-no-pamr</c>).</param>
/// <param name="Version">Bumped whenever a setting of a named protocol changes.</param>
/// <param name="ShortSide">Keep-ratio resize target of the short side (448; mmseg <c>img_scale</c> (2048, 448)).</param>
/// <param name="LongSideMax">Cap of the long side after resizing (2048).</param>
/// <param name="CropSize">Sliding-window side (448).</param>
/// <param name="Stride">Sliding-window stride (224).</param>
/// <param name="Pamr">Refine the grounder's masks with PAMR.</param>
/// <param name="PamrIterations">PAMR iterations (10).</param>
/// <param name="PamrDilations">PAMR dilations (1, 2, 4, 8, 12, 24).</param>
/// <param name="KpWeight">Weight of the frozen-CLIP (MaskCLIP) mask blended into the grounder's (0.3; 0 = off).</param>
/// <param name="BackgroundThreshold">Constant score of the background channel where a dataset has one (0.4 with PAMR, 0.5 without).</param>
/// <param name="Templates">Prompt template set (<c>custom</c>: the 9 templates of the official
/// <c>datasets/templates.py</c>).</param>
public sealed record EvaluationProtocol(
    string Name,
    int Version,
    int ShortSide,
    int LongSideMax,
    int CropSize,
    int Stride,
    bool Pamr,
    int PamrIterations,
    IReadOnlyList<int> PamrDilations,
    double KpWeight,
    double BackgroundThreshold,
    string Templates)
{
    /// <summary>TCL's unified protocol with PAMR (main table): 448 short side, 448/224 windows, PAMR, kp 0.3, background 0.4.</summary>
    public static EvaluationProtocol Official { get; } =
        new("tcl", 1, 448, 2048, 448, 224, true, 10, [1, 2, 4, 8, 12, 24], 0.3, 0.4, "custom");

    /// <summary>The appendix variant without PAMR: background threshold 0.5, everything else as <see cref="Official"/>.</summary>
    public static EvaluationProtocol NoPamr { get; } = Official with { Name = "tcl-no-pamr", Pamr = false, BackgroundThreshold = 0.5 };

    /// <summary>
    /// The official protocol scaled to the synthetic world's 64-px images: short side 64 (no resize), one 64×64 window
    /// (stride 32), PAMR with dilations 1–8 (the official 1–24 span a 448-px window), kp 0.3, background 0.4.
    /// </summary>
    public static EvaluationProtocol Synthetic { get; } =
        Official with { Name = "synthetic", ShortSide = 64, CropSize = 64, Stride = 32, PamrDilations = [1, 2, 4, 8] };

    /// <summary>The named presets.</summary>
    public static IReadOnlyList<EvaluationProtocol> Presets { get; } = [Official, NoPamr, Synthetic];

    /// <summary>The preset named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the presets.</exception>
    public static EvaluationProtocol Get(string name) =>
        Presets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown protocol '{name}': expected one of {string.Join(", ", Presets.Select(p => p.Name))}.", nameof(name));

    /// <summary>A preset by name, or a protocol JSON file (snake_case fields, <see cref="ConfigJson"/>) by path ending in <c>.json</c>.</summary>
    /// <exception cref="ArgumentException">Unknown preset name.</exception>
    /// <exception cref="FileNotFoundException">No such protocol file.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete protocol, or a setting is out of range
    /// (<see cref="Problems"/>); the message names the file and the JSON field.</exception>
    public static EvaluationProtocol Load(string nameOrFile)
    {
        if (!nameOrFile.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return Get(nameOrFile);
        var protocol = ConfigJson.Read<EvaluationProtocol>(nameOrFile, "Protocol file");
        var problems = protocol.Problems();
        if (problems.Count > 0)
            throw new InvalidDataException($"{nameOrFile}: {string.Join("; ", problems)}.");
        return protocol;
    }

    /// <summary>
    /// What is wrong with the settings, each naming its field as the JSON file spells it (<c>stride</c>,
    /// <c>pamr_dilations</c>): sizes and stride must be ≥ 1 (a stride of 0 never advances; one above the crop leaves
    /// pixels no window covers), PAMR needs iterations and positive dilations, kp in [0, 1], a finite background
    /// score, a known template set. Empty when the protocol can run.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Require(bool ok, string field, string expected, object? value)
        {
            if (!ok) problems.Add($"field '{ConfigJson.Options.PropertyNamingPolicy!.ConvertName(field)}' is {Show(value)}; expected {expected}");
        }
        Require(!string.IsNullOrWhiteSpace(Name), nameof(Name), "a non-empty name", Name);
        Require(Version >= 1, nameof(Version), "≥ 1", Version);
        Require(ShortSide >= 1, nameof(ShortSide), "≥ 1 pixel", ShortSide);
        Require(LongSideMax >= 1, nameof(LongSideMax), "≥ 1 pixel", LongSideMax);
        Require(CropSize >= 1, nameof(CropSize), "≥ 1 pixel", CropSize);
        Require(Stride >= 1 && (CropSize < 1 || Stride <= CropSize), nameof(Stride),
            $"between 1 and crop_size ({CropSize}) so that the windows advance and cover every pixel", Stride);
        if (Pamr)
        {
            Require(PamrIterations >= 1, nameof(PamrIterations), "≥ 1 when pamr is true", PamrIterations);
            Require(PamrDilations is { Count: > 0 }, nameof(PamrDilations), "at least one dilation when pamr is true", PamrDilations);
            Require(PamrDilations is null || PamrDilations.All(d => d >= 1), nameof(PamrDilations), "dilations ≥ 1", PamrDilations);
        }
        Require(KpWeight is >= 0 and <= 1, nameof(KpWeight), "between 0 and 1", KpWeight);
        Require(double.IsFinite(BackgroundThreshold), nameof(BackgroundThreshold), "a finite score", BackgroundThreshold);
        Require(PromptTemplates.Names.Contains(Templates ?? "", StringComparer.OrdinalIgnoreCase), nameof(Templates),
            $"one of {string.Join(", ", PromptTemplates.Names)}", Templates);
        return problems;
    }

    private static string Show(object? value) => value switch
    {
        null => "missing (null)",
        string text => $"\"{text}\"",
        IEnumerable<int> list => $"[{string.Join(", ", list)}]",
        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary><c>name@vN</c>, as written into results.</summary>
    public override string ToString() => $"{Name}@v{Version}";
}
