using Tcl.Tests.Support;
using Tcl.Training;
using Xunit;

namespace Tcl.Tests.Cli;

/// <summary>
/// <c>tcl train</c> end to end on the fixtures' tiny CLIP and webdataset shards written in img2dataset's layout:
/// trains with checkpoints and a metrics log, resumes to more steps, and refuses bad configs with the file and the
/// field named.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-train-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(string extra = "") => TrainCliSetup.WriteConfig(_dir, extra);

    [Fact]
    public void TrainsWritesCheckpointsAndResumes()
    {
        var config = WriteConfig();
        var (exit, output, error) = CliRunner.Run("train", "--config", config);
        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        var run = Path.Combine(_dir, "run");
        Assert.True(File.Exists(Path.Combine(run, TrainingCheckpoint.FileName(3))), output);
        Assert.True(File.Exists(Path.Combine(run, TrainingCheckpoint.FileName(6))), output);
        Assert.Equal(6, MetricsLog.Read(Path.Combine(run, Trainer.MetricsFileName)).Count);
        Assert.Contains("done: 6 steps", output);
        Assert.Contains("no caption", output);

        (exit, output, error) = CliRunner.Run("train", "--config", config, "--resume", "--steps", "8");
        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        Assert.Contains("resumed at step 6", output);
        var log = MetricsLog.Read(Path.Combine(run, Trainer.MetricsFileName));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), log.Select(e => e["step"]!.GetValue<long>()));
        Assert.Equal(8, TrainingCheckpoint.ReadInfo(Path.Combine(run, TrainingCheckpoint.FileName(8))).Step);
    }

    [Fact]
    public void UnknownFieldIsRefusedWithFileAndField()
    {
        var config = WriteConfig(",\n  \"batchsize_typo\": 3");
        var (exit, _, error) = CliRunner.Run("train", "--config", config);
        Assert.Equal(1, exit);
        Assert.Contains(config, error);
        Assert.Contains("batchsize_typo", error);
    }

    [Fact]
    public void BadValueIsRefusedWithFileAndField()
    {
        var config = WriteConfig();
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"batch_size\": 4", "\"batch_size\": 1"));
        var (exit, _, error) = CliRunner.Run("train", "--config", config);
        Assert.Equal(1, exit);
        Assert.Contains(config, error);
        Assert.Contains("'batch_size'", error);
        Assert.False(Directory.Exists(Path.Combine(_dir, "run")), "nothing is written for a config that fails its checks");
    }

    [Fact]
    public void PrintConfigWritesTheOfficialDefaults()
    {
        var (exit, output, _) = CliRunner.Run("train", "--print-config");
        Assert.Equal(0, exit);
        var path = Path.Combine(_dir, "defaults.json");
        File.WriteAllText(path, output);
        // Everything but the paths a user must fill in is a valid config.
        var e = Assert.Throws<InvalidDataException>(() => TclTrainConfig.Load(path));
        Assert.Contains("'clip_weights'", e.Message);
        Assert.Contains("\"steps\": 50001", output);
        Assert.Contains("\"decoder_only_steps\": 30000", output);
    }
}
