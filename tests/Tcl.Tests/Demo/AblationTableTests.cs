using Tcl.Demo;
using Tcl.Tests.Data;
using Xunit;

namespace Tcl.Tests.Demo;

public class AblationTableTests
{
    private static readonly string[] Benchmarks = ["synthetic_objects", "synthetic_stuff"];

    private static IReadOnlyList<AblationRow> Rows() =>
    [
        new(AblationRow.MaskClip, "training-free, \"reference\"", null, new Dictionary<string, double> { ["synthetic_objects"] = 6.87, ["synthetic_stuff"] = 22.21 }, 0, null, 0),
        new("A", "Baseline, no decoder", 53.2, new Dictionary<string, double> { ["synthetic_objects"] = 7.5, ["synthetic_stuff"] = double.NaN }, 220, 3.25, 101.4),
        new("C", "full TCL", 77.4, new Dictionary<string, double> { ["synthetic_objects"] = 8.25, ["synthetic_stuff"] = 24.0 }, 220, 2.125, 158.0),
    ];

    [Fact]
    public void The_csv_reads_back_as_written()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, AblationTable.CsvFileName);
        File.WriteAllText(path, AblationTable.ToCsv(Benchmarks, Rows()));
        var (benchmarks, rows) = AblationTable.ReadCsv(path);
        Assert.Equal(Benchmarks, benchmarks);
        Assert.Equal(Rows().Select(r => (r.Name, r.Description, r.PosterVoc20, r.Steps, r.FinalLoss, r.TrainSeconds, r.Mean)),
                     rows.Select(r => (r.Name, r.Description, r.PosterVoc20, r.Steps, r.FinalLoss, r.TrainSeconds, r.Mean)));
        Assert.True(double.IsNaN(rows[1].MeanIoU["synthetic_stuff"]));
        Assert.Equal(24.0, rows[2].MeanIoU["synthetic_stuff"]);
        Assert.Equal("row,description,poster_voc20,synthetic_objects,synthetic_stuff,mean,steps,final_loss,train_seconds", File.ReadLines(path).First());
    }

    [Fact]
    public void A_malformed_table_names_the_file_the_line_and_the_column()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "bad.csv");
        File.WriteAllText(path, "benchmark,tcl\nx,1\n");
        var e = Assert.Throws<InvalidDataException>(() => AblationTable.ReadCsv(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 1", e.Message);

        var lines = AblationTable.ToCsv(Benchmarks, Rows()).Split('\n');
        lines[2] = lines[2].Replace("7.50", "seven");
        File.WriteAllText(path, string.Join('\n', lines));
        e = Assert.Throws<InvalidDataException>(() => AblationTable.ReadCsv(path));
        Assert.Contains("line 3, column 'synthetic_objects'", e.Message);

        Assert.Throws<FileNotFoundException>(() => AblationTable.ReadCsv(Path.Combine(dir.Path, "missing.csv")));
    }

    [Fact]
    public void The_frame_has_typed_columns_and_the_text_table_lists_the_claims()
    {
        var frame = AblationTable.ToDataFrame(Benchmarks, Rows());
        Assert.Equal(["row", "description", "poster_voc20", "synthetic_objects", "synthetic_stuff", "mean", "steps", "final_loss", "train_seconds"],
                     frame.Columns.Select(c => c.Name).ToArray());
        Assert.Equal(3, frame.Rows.Count);
        Assert.Null(frame["poster_voc20"][0]);
        Assert.Equal(53.2, frame["poster_voc20"][1]);
        Assert.Equal(220L, frame["steps"][2]);

        var claims = PosterClaims.Check(Rows());
        var text = AblationTable.Format(Benchmarks, Rows(), claims);
        Assert.Contains("C ≫ A", text);
        Assert.Contains("not run", text);                 // B, E, F, G, H are missing
        Assert.Contains("objects", text);
        Assert.Equal(claims.Count, AblationTable.ClaimsFrame(claims).Rows.Count);
    }

    [Fact]
    public void The_chart_puts_the_poster_next_to_our_numbers()
    {
        var json = Tcl.Visualization.ChartJson.Of(AblationTable.Chart(Rows())).Data;
        Assert.Contains("poster: VOC20 mIoU", json);
        Assert.Contains("ours: mean synthetic mIoU", json);
        Assert.Contains("77.4", json);
    }
}
