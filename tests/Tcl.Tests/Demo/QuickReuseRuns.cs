using Tcl.Demo;
using Tcl.Tests.Data;
using Tcl.Tests.Support;

namespace Tcl.Tests.Demo;

/// <summary>
/// On a copy of a finished quick demo run: the demo again with reuse; the training stages with a changed TCL recipe;
/// the ablation study twice (rows G and A, then A and C) so the second run reuses row A.
/// </summary>
public sealed class QuickReuseRuns : IDisposable
{
    private readonly TempDir _copy = new();

    public QuickReuseRuns(string finishedRun)
    {
        CopyTree(finishedRun, Folder);
        Reused = new DemoPipeline(DemoProfile.Quick, Folder).Run(reuse: true);
        Changed = DemoProfile.Quick with { Tcl = DemoProfile.Quick.Tcl with { Steps = DemoProfile.Quick.Tcl.Steps / 2 } };
        Retrained = new DemoPipeline(Changed, Folder).Train(reuse: true);
        var study = new AblationStudy(DemoProfile.Quick, Folder);
        FirstStudy = study.Run(["g", "A"]);
        SecondStudy = study.Run(["C", "A"], new SyncProgress<DemoProgress>(p => SecondStudyMessages.Add(p.Message)));
    }

    /// <summary>The copied run folder.</summary>
    public string Folder => _copy.Path;

    public DemoResult Reused { get; }
    public DemoProfile Changed { get; }
    public DemoTraining Retrained { get; }
    public AblationStudyResult FirstStudy { get; }
    public AblationStudyResult SecondStudy { get; }
    public List<string> SecondStudyMessages { get; } = [];

    public void Dispose() => _copy.Dispose();

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
