using System.Text.Json;
using Tcl.Demo;
using Tcl.Training;
using Tcl.Tests.Data;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Demo;

/// <summary>Demo profiles: presets, JSON files, the scaled TCL recipe, the command's profile options.</summary>
public class DemoProfileTests
{
    [Theory]
    [InlineData("full")]
    [InlineData("quick")]
    public void Presets_round_trip_through_a_json_file(string name)
    {
        using var dir = new TempDir();
        var preset = DemoProfile.Get(name);
        var path = Path.Combine(dir.Path, "profile.json");
        File.WriteAllText(path, preset.ToJson());
        var loaded = DemoProfile.Load(path);
        Assert.Equal(preset.ToJson(), loaded.ToJson());
        Assert.Equal(preset.Tcl.Augment, loaded.Tcl.Augment);
        Assert.Null(loaded.Clip.Augment.RandAugment);                // a null default survives the trip
    }

    [Fact]
    public void Bad_profile_files_name_the_file_and_the_field()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "bad.json");
        File.WriteAllText(path, DemoProfile.Quick.ToJson().Replace("\"train_scenes\"", "\"train_scenez\""));
        var e = Assert.Throws<InvalidDataException>(() => DemoProfile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("train_scenez", e.Message);

        var world = DemoProfile.Quick with { World = DemoProfile.Quick.World with { Radii = [[0.1, 0.2]] } };
        File.WriteAllText(path, world.ToJson());
        e = Assert.Throws<InvalidDataException>(() => DemoProfile.Load(path));
        Assert.Contains("'world'", e.Message);
        Assert.Contains("Radii", e.Message);
        Assert.Throws<ArgumentException>(() => DemoProfile.Load("medium"));
    }

    [Theory]
    [InlineData(220, 32, 1e-3)]
    [InlineData(50_001, 1024, 7.5e-5)]
    public void The_scaled_recipe_keeps_the_official_proportions(long steps, int batch, double peak)
    {
        var config = DemoProfile.ScaledTcl(steps, batch, peak);
        Assert.Equal(Math.Round(steps * 0.6), config.DecoderOnlySteps);
        Assert.Equal(Math.Round(steps * 0.3), config.Schedule.WarmupSteps);
        var schedule = new LrSchedule(config.Schedule, batch);
        // Learning rates are double products of the recipe's constants: a few double ulps (1e-15 relative).
        Near.Rel(peak, schedule.PeakLr, 1e-12, what: "peak lr");
        Near.Rel(peak * 4e-5 / 3e-4, schedule.FinalLr, 1e-12, what: "final lr");
        Assert.Equal(TclLossConfigDefaults, config.Losses);
    }

    private static readonly Tcl.Grounding.TclLossConfig TclLossConfigDefaults = Tcl.Grounding.TclLossConfig.Tcl;

    [Fact]
    public void The_command_prints_a_profile_and_refuses_a_missing_one()
    {
        var (exit, output, error) = CliRunner.Run("demo", "--quick", "--seed", "7", "--print-profile");
        Assert.True(exit == 0, error);
        using (var json = JsonDocument.Parse(output))
        {
            Assert.Equal("quick", json.RootElement.GetProperty("name").GetString());
            Assert.Equal(7, json.RootElement.GetProperty("seed").GetInt32());
        }
        (exit, _, error) = CliRunner.Run("demo", "--profile", "/nonexistent/profile.json");
        Assert.Equal(2, exit);
        Assert.Contains("/nonexistent/profile.json", error);
    }
}
