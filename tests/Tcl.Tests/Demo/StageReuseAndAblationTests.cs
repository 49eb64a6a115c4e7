using Tcl.Demo;
using Xunit;

namespace Tcl.Tests.Demo;

/// <summary>Stage reuse and the ablation study on a copy of the quick demo run (see <see cref="QuickReuseRuns"/>).</summary>
[Collection(SerialDemoCollection.Name)]
public class StageReuseAndAblationTests(QuickDemoRuns runs)
{
    private QuickReuseRuns Reuse => runs.Reuse;

    [Fact]
    public void A_copied_run_is_reused_stage_by_stage_and_gives_the_same_numbers()
    {
        Assert.Equal([DemoStage.World, DemoStage.Clip, DemoStage.Tcl],
                     Reuse.Reused.Stages.Where(s => s.Reused).Select(s => s.Stage).ToArray());
        Assert.All(Reuse.Reused.Stages.Where(s => s.Reused), s => Assert.Equal(0, s.Seconds));
        Assert.Contains(Reuse.Reused.Stages, s => s.Stage == DemoStage.Evaluate && !s.Reused);
        Assert.Equal(File.ReadAllText(Path.Combine(runs.Again, "report", "results.csv")),
                     File.ReadAllText(Path.Combine(Reuse.Folder, "report", "results.csv")));
        Assert.Equal(runs.Second.TclTraining, Reuse.Reused.TclTraining);     // the stamp carries the original result
        Assert.Equal(runs.Second.ClipProbe, Reuse.Reused.ClipProbe);
    }

    [Fact]
    public void A_changed_tcl_recipe_retrains_only_tcl()
    {
        Assert.Equal([(DemoStage.World, true), (DemoStage.Clip, true), (DemoStage.Tcl, false)],
                     Reuse.Retrained.Stages.Select(s => (s.Stage, s.Reused)).ToArray());
        Assert.Equal(Reuse.Changed.Tcl.Steps, Reuse.Retrained.TclTraining!.StepsCompleted);
    }

    [Fact]
    public void The_study_runs_the_chosen_rows_in_poster_order_after_the_reference()
    {
        Assert.Equal([AblationRow.MaskClip, "A", "G"], Reuse.FirstStudy.Rows.Select(r => r.Name).ToArray());
        Assert.Equal([AblationRow.MaskClip, "A", "C"], Reuse.SecondStudy.Rows.Select(r => r.Name).ToArray());
        foreach (var row in Reuse.SecondStudy.Rows.Skip(1))
        {
            Assert.Equal(DemoProfile.Quick.Tcl.Steps, row.Steps);
            Assert.Equal(Reuse.SecondStudy.Benchmarks, row.MeanIoU.Keys.ToArray());
            Assert.All(row.MeanIoU.Values, v => Assert.InRange(v, 0, 100));
            Assert.True(File.Exists(Path.Combine(Reuse.Folder, "ablations", row.Name, "tcl", "metrics.jsonl")));
        }
        Assert.Equal(ClaimVerdict.NotRun, Reuse.SecondStudy.Claims.Single(c => c.Text == "H < C").Verdict);
        Assert.NotEqual(ClaimVerdict.NotRun, Reuse.SecondStudy.Claims.Single(c => c.Text == "C ≫ A").Verdict);
    }

    [Fact]
    public void A_finished_row_is_reused_and_the_table_holds_the_latest_study()
    {
        Assert.Contains(Reuse.SecondStudyMessages, m => m.StartsWith("ablation A reused", StringComparison.Ordinal));
        Assert.DoesNotContain(Reuse.SecondStudyMessages, m => m == "ablation A");             // no training steps reported for A
        AblationRow first = Reuse.FirstStudy.Rows.Single(r => r.Name == "A"), second = Reuse.SecondStudy.Rows.Single(r => r.Name == "A");
        Assert.Equal((first.Steps, first.FinalLoss, first.TrainSeconds, first.Mean), (second.Steps, second.FinalLoss, second.TrainSeconds, second.Mean));
        Assert.Equal(first.MeanIoU, second.MeanIoU);

        var (benchmarks, rows) = AblationTable.ReadCsv(Path.Combine(Reuse.Folder, "ablations", AblationTable.CsvFileName));
        Assert.Equal(Reuse.SecondStudy.Benchmarks, benchmarks);
        Assert.Equal(Reuse.SecondStudy.Rows.Select(r => (r.Name, r.Mean)), rows.Select(r => (r.Name, r.Mean)));
        Assert.True(File.Exists(Path.Combine(Reuse.Folder, "ablations", AblationTable.JsonFileName)));
    }

    [Fact]
    public void Row_c_is_the_demo_recipe_and_the_reference_row_is_the_demo_baseline()
    {
        var c = Reuse.SecondStudy.Rows.Single(r => r.Name == "C");
        var maskClip = Reuse.SecondStudy.Rows.Single(r => r.Name == AblationRow.MaskClip);
        foreach (var key in Reuse.SecondStudy.Benchmarks)
        {
            Assert.Equal(runs.Second.Result(key, "tcl").Scores.MeanIoUPercent, c.MeanIoU[key]);
            Assert.Equal(runs.Second.Result(key, "maskclip").Scores.MeanIoUPercent, maskClip.MeanIoU[key]);
        }
    }
}
