using Tcl.Demo;

namespace Tcl.Notebooks;

/// <summary>
/// The trained embedded default the notebooks share: one demo run per profile (<c>smoke</c> → <see cref="DemoProfile.Quick"/>,
/// <c>full</c> → <see cref="DemoProfile.Full"/>) in one folder, trained by whichever notebook runs first and reused by
/// the others (<see cref="DemoPipeline.Train"/> with reuse; a changed profile retrains). Every notebook therefore runs
/// on its own, and a series of notebooks pre-trains CLIP once.
/// </summary>
public static class NotebookDemo
{
    /// <summary>Overrides the shared folder (default <c>&lt;temp&gt;/tcl-notebooks/&lt;profile&gt;-seed&lt;seed&gt;</c>).</summary>
    public const string FolderVariable = "TCL_NOTEBOOK_RUNS";

    /// <summary>The demo profile of the current notebook profile.</summary>
    public static DemoProfile Profile => NotebookProfile.Current == NotebookProfile.Full ? DemoProfile.Full : DemoProfile.Quick;

    /// <summary>The shared run folder of <see cref="Profile"/>.</summary>
    public static string Folder => Path.Combine(
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } root ? root : Path.Combine(Path.GetTempPath(), "tcl-notebooks"),
        $"{Profile.Name}-seed{Profile.Seed}");

    /// <summary>The shared pipeline (nothing runs yet).</summary>
    public static DemoPipeline Pipeline() => new(Profile, Folder);

    /// <summary>The shared pipeline with its world, CLIP and TCL trained (or reused when already there).</summary>
    public static (DemoPipeline Pipeline, DemoTraining Training) Trained(IProgress<DemoProgress>? progress = null)
    {
        var pipeline = Pipeline();
        return (pipeline, pipeline.Train(progress, reuse: true));
    }
}
