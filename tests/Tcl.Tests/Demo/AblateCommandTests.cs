using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Demo;

public class AblateCommandTests
{
    [Fact]
    public void An_unknown_row_is_refused_before_anything_runs()
    {
        using var dir = new Data.TempDir();
        var (exit, _, error) = CliRunner.Run("ablate", "--quick", "--presets", "A,Z", "--output", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains("Unknown ablation 'Z'", error);
        Assert.Contains("A, B, C, D, E, F, G, H", error);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_bad_profile_file_is_refused_with_its_name()
    {
        using var dir = new Data.TempDir();
        var file = Path.Combine(dir.Path, "profile.json");
        File.WriteAllText(file, "{ \"train_scenes\": \"many\" }");
        var (exit, _, error) = CliRunner.Run("ablate", "--profile", file, "--output", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains(file, error);
        Assert.Contains("train_scenes", error);
    }
}
