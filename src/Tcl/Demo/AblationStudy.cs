using Tcl.Evaluation;
using Tcl.Training;

namespace Tcl.Demo;

/// <summary>What an ablation study produced.</summary>
/// <param name="Profile">The demo profile every row trained with (only the losses and grounder differ per row).</param>
/// <param name="Benchmarks">Synthetic benchmark keys, the columns of every row.</param>
/// <param name="Rows">The MaskCLIP reference row (when included), then the presets in poster order.</param>
/// <param name="Claims">The poster's orderings checked on <paramref name="Rows"/>.</param>
/// <param name="Folder">Where the study's files are (<c>&lt;output&gt;/ablations</c>).</param>
public sealed record AblationStudyResult(DemoProfile Profile, IReadOnlyList<string> Benchmarks, IReadOnlyList<AblationRow> Rows,
    IReadOnlyList<PosterClaim> Claims, string Folder);

/// <summary>
/// The ablation rows A–H (<see cref="AblationPresets"/>) on the embedded default (DESIGN.md "Ablations A–H"): one
/// world and one pre-trained CLIP (the demo's stages, reused when a demo run with the same profile is in the output
/// folder), then for each chosen preset a TCL training with that row's losses and grounder — every other setting as
/// the profile's TCL recipe — and an evaluation on every synthetic benchmark with the profile's protocol. Each row
/// is stamped in <c>ablations/&lt;row&gt;/</c>, so a re-run with more rows trains only the new ones.
/// </summary>
public sealed class AblationStudy(DemoProfile profile, string outputDir)
{
    /// <summary>The pipeline that supplies the world, the CLIP and the TCL trainings.</summary>
    public DemoPipeline Pipeline { get; } = new(profile, outputDir);

    /// <summary>The study's folder: one sub-folder per row, the results table.</summary>
    public string Folder => Path.Combine(Pipeline.Layout.Root, "ablations");

    /// <summary>The folder of row <paramref name="name"/> (its TCL run in <c>tcl/</c>, its stamp).</summary>
    public string RowFolder(string name) => Path.Combine(Folder, name);

    /// <summary>
    /// Trains and evaluates <paramref name="presets"/> (letters A–H, any case and order; run in poster order) and
    /// writes <c>ablations.csv</c> / <c>ablations.json</c> into <see cref="Folder"/>.
    /// </summary>
    /// <param name="presets">The rows to run.</param>
    /// <param name="progress">Stage messages, training steps, evaluated images.</param>
    /// <param name="cancellation">Stops at the next step or image; finished rows stay stamped.</param>
    /// <param name="reuse">Keep the world, the CLIP and finished rows made with the same inputs (default).</param>
    /// <param name="includeMaskClip">Add the training-free MaskCLIP row on the same CLIP as a reference.</param>
    /// <exception cref="ArgumentException">A name is not A–H, or no preset was given.</exception>
    public AblationStudyResult Run(IEnumerable<string> presets, IProgress<DemoProgress>? progress = null, CancellationToken cancellation = default,
        bool reuse = true, bool includeMaskClip = true)
    {
        var chosen = Resolve(presets);
        var clip = Pipeline.PrepareClip(progress, cancellation, reuse);
        var keys = clip.Benchmarks.Select(b => b.Manifest.Key).ToList();
        var rows = new List<AblationRow>();
        if (includeMaskClip)
            rows.Add(Row(AblationRow.MaskClip, Pipeline.ClipInputs(), reuse, progress, () =>
            {
                using var method = Pipeline.LoadMaskClip();
                return Evaluated(AblationRow.MaskClip, "training-free baseline on the same CLIP (MaskCLIP-style self-only last block)", null,
                    method, clip, training: null, progress, cancellation);
            }));
        foreach (var preset in chosen)
        {
            cancellation.ThrowIfCancellationRequested();
            var config = Pipeline.Profile.Tcl with { Ablation = preset.Name };
            string runDir = Path.Combine(RowFolder(preset.Name), "tcl");
            rows.Add(Row(preset.Name, Pipeline.TclInputs(config), reuse, progress, () =>
            {
                var training = Pipeline.TrainTcl(config, runDir, progress, cancellation, reuse, label: $"ablation {preset.Name}");
                using var method = Pipeline.LoadTcl(runDir);
                return Evaluated(preset.Name, preset.Description, preset.PosterVoc20, method, clip, training, progress, cancellation);
            }));
        }
        var result = new AblationStudyResult(Pipeline.Profile, keys, rows, PosterClaims.Check(rows), Folder);
        AblationTable.Write(result, Folder);
        return result;
    }

    /// <summary>The presets named in <paramref name="names"/>, once each, in poster order.</summary>
    public static IReadOnlyList<AblationPreset> Resolve(IEnumerable<string> names)
    {
        var wanted = names.Select(AblationPresets.Get).Select(p => p.Name).ToHashSet();
        if (wanted.Count == 0) throw new ArgumentException("No ablation preset given: expected one or more of A–H.", nameof(names));
        return AblationPresets.All.Where(p => wanted.Contains(p.Name)).ToList();
    }

    /// <summary>The row stamped in its folder with the same inputs (and protocol), or a fresh one from <paramref name="make"/>.</summary>
    private AblationRow Row(string name, System.Text.Json.Nodes.JsonNode trainingInputs, bool reuse, IProgress<DemoProgress>? progress, Func<AblationRow> make)
    {
        var folder = RowFolder(name);
        var inputs = StageStamp.Inputs(new { training = trainingInputs, protocol = Pipeline.Profile.Protocol });
        if (reuse && StageStamp.Read<AblationRow>(folder, inputs) is { } kept)
        {
            progress?.Report(new DemoProgress(DemoStage.Evaluate, $"ablation {name} reused from {folder}: mean mIoU {kept.Mean:F2}"));
            return kept;
        }
        var row = make();
        StageStamp.Write(folder, inputs, row);
        progress?.Report(new DemoProgress(DemoStage.Evaluate, $"ablation {name}: mean mIoU {row.Mean:F2}"));
        return row;
    }

    private AblationRow Evaluated(string name, string description, double? poster, LoadedMethod method, DemoTraining clip, TrainingResult? training,
        IProgress<DemoProgress>? progress, CancellationToken cancellation)
    {
        var results = Pipeline.Evaluate(clip.Benchmarks, [method], savePredictionsUnder: null, progress, cancellation);
        var miou = results.ToDictionary(r => r.Dataset, r => r.Scores.MeanIoUPercent);
        return new AblationRow(name, description, poster, miou, training?.StepsCompleted ?? 0, training?.LastLoss, Math.Round(training?.Elapsed.TotalSeconds ?? 0, 1));
    }
}
