using Tcl.Notebooks.Runner;
using Xunit;

namespace Tcl.Tests.Notebooks;

/// <summary>Regenerating notebooks in place: a failed run never replaces the notebook it was executed from.</summary>
public sealed class ExecutedNotebookFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-executed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_run_with_problems_keeps_the_committed_notebook_and_writes_a_failed_copy()
    {
        var files = ExecutedNotebookFiles.For(_dir, "00-quickstart");
        File.WriteAllText(files.Final, "committed");
        File.WriteAllText(files.Scratch, "executed with an error");

        Assert.Equal(files.Failed, files.Publish(clean: false));

        Assert.Equal("committed", File.ReadAllText(files.Final));
        Assert.Equal("executed with an error", File.ReadAllText(files.Failed));
        Assert.False(File.Exists(files.Scratch));
    }

    [Fact]
    public void A_clean_run_replaces_the_notebook_and_removes_an_old_failed_copy()
    {
        var files = ExecutedNotebookFiles.For(_dir, "00-quickstart");
        File.WriteAllText(files.Final, "committed");
        File.WriteAllText(files.Failed, "an earlier failure");
        File.WriteAllText(files.Scratch, "executed cleanly");

        Assert.Equal(files.Final, files.Publish(clean: true));

        Assert.Equal("executed cleanly", File.ReadAllText(files.Final));
        Assert.False(File.Exists(files.Failed));
        Assert.False(File.Exists(files.Scratch));
        Assert.Equal([Path.Combine(_dir, "00-quickstart.ipynb")], Directory.GetFiles(_dir));
    }

    [Fact]
    public void The_scratch_file_is_hidden_beside_the_output()
    {
        var files = ExecutedNotebookFiles.For("out", "02-training-tcl");

        Assert.Equal(Path.Combine("out", ".02-training-tcl.executing.ipynb"), files.Scratch);
        Assert.Equal(Path.Combine("out", "02-training-tcl.failed.ipynb"), files.Failed);
    }
}
