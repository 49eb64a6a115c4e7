using Tcl.Data;
using Tcl.IO;
using Tcl.Tests.Support;
using Tcl.Torch;
using Tcl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Training;

/// <summary>
/// Training never loses work (issue 12 §2), on a one-weight objective: a fresh run refuses a folder that holds a run
/// (and <c>overwrite</c> clears it cleanly), a second run into a folder in use is refused, temporaries of a killed
/// write are removed, a truncated newest checkpoint is named and skipped for the newest intact one, and a resume with a
/// changed recipe is refused naming the fields unless allowed.
/// </summary>
public sealed class RunFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-runfolder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Folder => Path.Combine(_dir, "run");

    private TrainerConfig Config(long steps) => new(
        Steps: steps, BatchSize: 2, Schedule: new LrScheduleConfig(BaseLr: 0.05, MinLr: 0.005, WarmupSteps: 1, TotalSteps: 10),
        OutputDir: Folder, CheckpointEvery: 2, KeepCheckpoints: 0);

    private const string Recipe = """{"batch_size":2,"schedule":{"base_lr":0.05,"total_steps":10},"steps":4,"output_dir":"a"}""";

    /// <summary>Trains <paramref name="steps"/> steps of a fresh run into <see cref="Folder"/>.</summary>
    private TrainingResult Train(long steps, string? recipe = Recipe)
    {
        using var trainer = new Trainer(new FitObjective(), Config(steps), recipe);
        using var data = new RandomBatches(2, 8, seed: 0);
        return trainer.Run(data);
    }

    private string[] Files() => Directory.GetFiles(Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void A_fresh_run_into_a_folder_holding_a_run_is_refused_and_changes_nothing()
    {
        Train(4);
        var before = Directory.GetFiles(Folder).ToDictionary(f => f, File.ReadAllBytes);

        var e = Assert.Throws<OutputFolderException>(() => Train(2));
        Assert.False(e.InUse);
        Assert.Contains(Folder, e.Message);
        Assert.Contains("--resume", e.Message);
        Assert.Contains("output_dir", e.Message);
        Assert.Contains("--overwrite", e.Message);
        Assert.Contains("checkpoint-0000004.safetensors", e.Message);
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(4, MetricsLog.Read(Path.Combine(Folder, Trainer.MetricsFileName)).Count);
    }

    [Fact]
    public void Overwrite_deletes_the_earlier_run_first_and_keeps_other_files()
    {
        Train(4);
        File.WriteAllText(Path.Combine(Folder, "notes.txt"), "mine");
        var warnings = new List<FileWarning>();
        using (var trainer = new Trainer(new FitObjective(), Config(2), Recipe))
        using (var data = new RandomBatches(2, 8, seed: 0))
        {
            trainer.StartFresh(overwrite: true, new Collect(warnings));
            trainer.Run(data);
        }
        Assert.Equal([".lock", "checkpoint-0000002.safetensors", "metrics.jsonl", "notes.txt"], Files());
        Assert.Equal([0L, 1L], MetricsLog.Read(Path.Combine(Folder, Trainer.MetricsFileName)).Select(e => e["step"]!.GetValue<long>()));
        Assert.Contains("deleted the earlier run", Assert.Single(warnings).Message);
    }

    [Fact]
    public void A_second_run_into_a_folder_in_use_is_refused_until_the_first_is_disposed()
    {
        using (var first = new Trainer(new FitObjective(), Config(2)))
        {
            first.StartFresh();
            using var second = new Trainer(new FitObjective(), Config(2));
            var e = Assert.Throws<OutputFolderException>(() => second.StartFresh());
            Assert.True(e.InUse);
            Assert.Contains(Folder, e.Message);
            Assert.Contains("another training run", e.Message);
            Assert.Throws<OutputFolderException>(() => second.Resume(Folder));
        }
        Train(2);   // the lock went with the first trainer
        Assert.Contains("checkpoint-0000002.safetensors", Files());
    }

    [Fact]
    public void Temporaries_of_a_killed_write_are_removed_at_start_and_reported()
    {
        Directory.CreateDirectory(Folder);
        string guid = Guid.NewGuid().ToString("N");
        var stale = Path.Combine(Folder, $".checkpoint-0000002.safetensors.{int.MaxValue}.{guid}.tmp");   // no such process
        var ownStale = Path.Combine(Folder, $".metrics.jsonl.{Environment.ProcessId}.{guid}.tmp");       // an earlier container's run with our id
        var live = Path.Combine(Folder, $".other.bin.1.{guid}.tmp");                                     // pid 1 is running: maybe mid-write
        var unrelated = Path.Combine(Folder, ".editor-swap.tmp");
        foreach (var f in new[] { stale, ownStale, live, unrelated }) File.WriteAllText(f, "partial");

        var reports = new List<TrainingProgress>();
        using (var trainer = new Trainer(new FitObjective(), Config(2)))
        using (var data = new RandomBatches(2, 8, seed: 0))
            trainer.Run(data, new Collect<TrainingProgress>(reports));

        Assert.False(File.Exists(stale));
        Assert.False(File.Exists(ownStale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(unrelated));
        var warnings = reports[0].Warnings;
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Path == stale && w.Message.Contains("interrupted write"));
        Assert.Empty(reports[1].Warnings);
    }

    [Fact]
    public void A_truncated_newest_checkpoint_is_named_set_aside_and_the_newest_intact_one_is_resumed()
    {
        Train(4);
        var newest = Path.Combine(Folder, TrainingCheckpoint.FileName(4));
        using (var f = new FileStream(newest, FileMode.Open)) f.SetLength(f.Length - 3);

        // The file itself: a typed error naming it, for resume and for evaluation alike.
        using (var direct = new Trainer(new FitObjective(), Config(6) with { OutputDir = Path.Combine(_dir, "other") }, Recipe))
        {
            var e = Assert.Throws<CorruptCheckpointException>(() => direct.Resume(newest));
            Assert.Equal(newest, e.Path);
            Assert.Contains(newest, e.Message);
            Assert.Contains("ends before its tensors do", e.Message);
        }
        Assert.Contains(newest, Assert.Throws<CorruptCheckpointException>(() => TrainingCheckpoint.ReadModelWeights(newest)).Message);

        // The folder: fall back, saying so.
        var warnings = new List<FileWarning>();
        using var trainer = new Trainer(new FitObjective(), Config(6), Recipe);
        var info = trainer.Resume(Folder, warnings: new Collect(warnings));
        Assert.Equal(2, info.Step);
        Assert.Equal(2, trainer.Step);
        Assert.Equal(2, warnings.Count);
        Assert.Contains(newest, warnings[0].Message);
        Assert.Contains(TrainingCheckpoint.CorruptSuffix, warnings[0].Message);
        Assert.Contains("older checkpoint (step 2)", warnings[1].Message);
        Assert.True(File.Exists(newest + TrainingCheckpoint.CorruptSuffix));
        Assert.Equal(Path.Combine(Folder, TrainingCheckpoint.FileName(2)), TrainingCheckpoint.Latest(Folder));
        using var data = new RandomBatches(2, 8, seed: 0, trainer.Cursor);
        Assert.Equal(6, trainer.Run(data).StepsCompleted);
    }

    [Fact]
    public void Every_checkpoint_corrupt_is_an_error_naming_the_folder()
    {
        Train(2);
        File.WriteAllBytes(Path.Combine(Folder, TrainingCheckpoint.FileName(2)), [1, 2, 3]);
        using var trainer = new Trainer(new FitObjective(), Config(4), Recipe);
        var e = Assert.Throws<CorruptCheckpointException>(() => trainer.Resume(Folder));
        Assert.Contains(Folder, e.Message);
        Assert.Contains("no intact checkpoint", e.Message);
    }

    [Fact]
    public void A_resume_with_a_changed_recipe_is_refused_naming_the_fields_unless_allowed()
    {
        Train(4);
        const string changed = """{"batch_size":8,"schedule":{"base_lr":0.1,"total_steps":10},"steps":6,"output_dir":"b"}""";

        var objective = new FitObjective();
        var weight = objective.Weight.detach().clone();
        using (var refused = new Trainer(objective, Config(6), changed))
        {
            var e = Assert.Throws<RunConfigChangedException>(() => refused.Resume(Folder));
            Assert.Equal(["batch_size", "schedule.base_lr"], e.Changes.Select(c => c.Field));   // steps and output_dir may change
            Assert.Contains("'batch_size' (2 → 8)", e.Message);
            Assert.Contains(TrainingCheckpoint.FileName(4), e.Message);
            Assert.Contains("--allow-config-change", e.Message);
            Assert.Equal(0, refused.Step);
            Assert.True(objective.Weight.equal(weight).all().item<bool>(), "nothing was restored");
        }

        var warnings = new List<FileWarning>();
        using (var allowed = new Trainer(new FitObjective(), Config(6), changed))
            Assert.Equal(4, allowed.Resume(Folder, allowConfigChange: true, new Collect(warnings)).Step);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("'schedule.base_lr' (0.05 → 0.1)", warnings[1].Message);

        // More steps (and a moved folder) resume silently.
        warnings.Clear();
        using var extended = new Trainer(new FitObjective(), Config(6), Recipe.Replace("\"steps\":4", "\"steps\":6").Replace("\"a\"", "\"c\""));
        Assert.Equal(4, extended.Resume(Folder, warnings: new Collect(warnings)).Step);
        Assert.Empty(warnings);
    }

    private sealed class Collect(List<FileWarning> into) : IProgress<FileWarning>
    {
        public void Report(FileWarning value) => into.Add(value);
    }

    private sealed class Collect<T>(List<T> into) : IProgress<T>
    {
        public void Report(T value) => into.Add(value);
    }

    /// <summary>Fits one weight to 1: the smallest objective a trainer can checkpoint and resume.</summary>
    private sealed class FitObjective : ITrainingObjective
    {
        private readonly Linear _module = torch.nn.Linear(1, 1, hasBias: false);

        public FitObjective() => OptimizedParameters = _module.named_parameters().ToList();

        public Tensor Weight => _module.weight!;
        public nn.Module Model => _module;
        public IReadOnlyList<(string Name, Parameter Parameter)> OptimizedParameters { get; }
        public IReadOnlyList<(string Name, Generator Generator)> Generators { get; } = [];
        public void BeginStep(long step) { }

        public LossResult ComputeLoss(ImageTextBatch batch)
        {
            using var scalars = new ScalarScope();
            var fit = _module.weight!.sub(Scalars.One).pow(scalars.Of(2)).sum();
            return new LossResult(new Dictionary<string, Tensor> { ["fit_loss"] = fit }, fit);
        }
    }
}
