using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data;
using Tcl.IO;
using Tcl.Tests.Evaluation;
using Tcl.Tests.Support;
using Tcl.Training;
using Xunit;

namespace Tcl.Tests.Cli;

/// <summary>
/// <c>tcl train</c> never loses work and never dies on one bad file (issue 12 §2), end to end on the fixtures' tiny
/// CLIP: each mistake or bad file is a message naming the file and what was expected, with the documented exit code —
/// never an unhandled exception with a stack trace.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class TrainCommandSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-train-safety-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Run => Path.Combine(_dir, "run");

    private static void Ok((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, $"exit {r.Exit}: {r.Error}\n{r.Output}");

    private static void NoStackTrace(string error)
    {
        Assert.DoesNotContain("Unhandled exception", error);
        Assert.DoesNotContain("   at ", error);
    }

    private long[] Steps() => MetricsLog.Read(Path.Combine(Run, Trainer.MetricsFileName)).Select(e => e["step"]!.GetValue<long>()).ToArray();

    [Fact]
    public void A_fresh_run_over_an_existing_run_is_refused_and_overwrite_replaces_it()
    {
        var config = TrainCliSetup.WriteConfig(_dir);
        Ok(CliRunner.Run("train", "--config", config));
        var checkpoint6 = File.ReadAllBytes(Path.Combine(Run, TrainingCheckpoint.FileName(6)));

        var (exit, output, error) = CliRunner.Run("train", "--config", config, "--steps", "3");
        Assert.Equal(1, exit);
        Assert.Contains(Run, error);
        Assert.Contains("--resume", error);
        Assert.Contains("--overwrite", error);
        NoStackTrace(error);
        Assert.DoesNotContain("done:", output);
        Assert.Equal(6, Steps().Length);
        Assert.Equal(checkpoint6, File.ReadAllBytes(Path.Combine(Run, TrainingCheckpoint.FileName(6))));

        (exit, output, error) = CliRunner.Run("train", "--config", config, "--steps", "3", "--overwrite");
        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        Assert.Contains("deleted the earlier run", error);
        Assert.Equal([0L, 1L, 2L], Steps());
        Assert.False(File.Exists(Path.Combine(Run, TrainingCheckpoint.FileName(6))));
        Assert.True(File.Exists(Path.Combine(Run, TrainingCheckpoint.FileName(3))));

        Assert.Equal(1, CliRunner.Run("train", "--config", config, "--resume", "--overwrite").Exit);
    }

    [Fact]
    public void Shards_that_are_not_tars_and_undecodable_images_are_warned_about_and_training_goes_on()
    {
        var good = TrainCliSetup.WriteShards(_dir);
        var notTar = Path.Combine(_dir, "readme.tar");
        File.WriteAllText(notTar, new string('x', 2000));
        var empty = Path.Combine(_dir, "empty.tar");
        File.WriteAllBytes(empty, []);
        var garbage = Path.Combine(_dir, "garbage.tar");
        using (var writer = new WebDatasetWriter(garbage))
        {
            using var picture = new Image<Rgb24>(64, 64, new Rgb24(200, 30, 30));
            var jpeg = new MemoryStream();
            picture.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 90 });
            var tail = new byte[1200];
            new Random(4).NextBytes(tail);
            writer.AddRaw("bad", "jpg", [.. jpeg.ToArray().AsSpan(0, 20), .. tail], "a red square");
            writer.Add("good", picture, "a red square");
            writer.Complete();
        }
        var config = TrainCliSetup.WriteConfig(_dir, shards: [good, notTar, empty, garbage]);

        var (exit, output, error) = CliRunner.Run("train", "--config", config);
        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        Assert.Contains($"warning: {notTar} is not a tar archive", error);
        Assert.Contains($"warning: {empty} is an empty file", error);
        Assert.Contains($"{garbage}: sample 'bad': image not decodable", error);
        Assert.Contains("unreadable shard(s) skipped", output);
        Assert.Contains("done: 6 steps", output);

        // Nothing usable at all: a clear error, no stack trace.
        var (exit2, _, error2) = CliRunner.Run("train", "--config", TrainCliSetup.WriteConfig(_dir, ",\n\"output_dir\": \"run2\"", [notTar, empty]));
        Assert.Equal(1, exit2);
        Assert.Contains("No shard yielded a single sample", error2);
        NoStackTrace(error2);
    }

    [Fact]
    public void A_truncated_newest_checkpoint_is_named_and_resume_falls_back_and_evaluate_names_it()
    {
        var config = TrainCliSetup.WriteConfig(_dir);
        Ok(CliRunner.Run("train", "--config", config));
        var newest = Path.Combine(Run, TrainingCheckpoint.FileName(6));
        var copy = Path.Combine(_dir, "cut.safetensors");
        using (var f = new FileStream(newest, FileMode.Open)) f.SetLength(f.Length / 2);
        File.Copy(newest, copy);

        var (exit, output, error) = CliRunner.Run("train", "--config", config, "--resume", "--steps", "8");
        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        Assert.Contains($"warning: {newest}: unreadable training checkpoint", error);
        Assert.Contains("older checkpoint (step 3)", error);
        Assert.Contains("resumed at step 3", output);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), Steps());

        (exit, _, error) = CliRunner.Run("train", "--config", config, "--resume", copy, "--output", Path.Combine(_dir, "run3"));
        Assert.Equal(1, exit);
        Assert.Contains(copy, error);
        NoStackTrace(error);

        using var voc = new TinyVocData();
        var dims = WeightFixtures.SharedClip().Dims;
        (exit, _, error) = CliRunner.Run("evaluate", "--clip", WeightFixtures.File("clip_weights.safetensors"), "--tcl", copy,
            "--vision-heads", dims["vision_heads"].ToString(), "--text-heads", dims["transformer_heads"].ToString(),
            "--dataset", "voc", "--data-root", voc.Root, "--out", Path.Combine(_dir, "eval"));
        Assert.Equal(1, exit);
        Assert.Contains(copy, error);
        Assert.Contains("ends before its tensors do", error);
        NoStackTrace(error);
    }

    [Fact]
    public void A_run_into_a_folder_another_run_holds_exits_3()
    {
        var config = TrainCliSetup.WriteConfig(_dir);
        using (FolderLock.TryAcquire(Run))
        {
            var (exit, _, error) = CliRunner.Run("train", "--config", config);
            Assert.Equal(3, exit);
            Assert.Contains(Run, error);
            Assert.Contains("another training run", error);
            NoStackTrace(error);
        }
        Ok(CliRunner.Run("train", "--config", config, "--steps", "1"));
    }

    [Fact]
    public void A_resume_with_a_changed_batch_size_is_refused_naming_it_unless_allowed()
    {
        var config = TrainCliSetup.WriteConfig(_dir);
        Ok(CliRunner.Run("train", "--config", config));
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"batch_size\": 4", "\"batch_size\": 2"));

        var (exit, _, error) = CliRunner.Run("train", "--config", config, "--resume", "--steps", "8");
        Assert.Equal(1, exit);
        Assert.Contains("'batch_size' (4 → 2)", error);
        Assert.Contains("--allow-config-change", error);
        Assert.DoesNotContain("'steps'", error);
        NoStackTrace(error);
        Assert.Equal(6, Steps().Length);

        (exit, var output, error) = CliRunner.Run("train", "--config", config, "--resume", "--steps", "8", "--allow-config-change");
        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        Assert.Contains("warning:", error);
        Assert.Contains("'batch_size' (4 → 2)", error);
        Assert.Contains("resumed at step 6", output);
    }
}
