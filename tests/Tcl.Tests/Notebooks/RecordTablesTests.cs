using Microsoft.DotNet.Interactive.Formatting;
using Tcl.Demo;
using Tcl.Notebooks;
using Xunit;

namespace Tcl.Tests.Notebooks;

/// <summary>
/// Lists of records and anonymous objects as HTML tables (one column per property, numbers invariant, NaN as –), a
/// single record or a tuple as a property/value table, and the formatters that make cells show them.
/// </summary>
[Collection(FormatterCollection.Name)]
public sealed class RecordTablesTests
{
    private sealed record Summary(string Kind, int Queries, double ImageLevel, double Contrast);

    [Fact]
    public void RecordsGiveOneColumnPerPropertyAndOneRowEach()
    {
        var html = RecordTables.RowsHtml(new[] { new Summary("Colour", 12, 0.4612, -0.0061), new Summary("Stuff", 3, double.NaN, 0.0731) });
        Assert.StartsWith("<table><thead><tr><th>Kind</th><th>Queries</th><th>ImageLevel</th><th>Contrast</th></tr></thead><tbody>", html);
        Assert.Contains("<tr><td>Colour</td><td style=\"text-align: right\">12</td><td style=\"text-align: right\">0.4612</td><td style=\"text-align: right\">-0.0061</td></tr>", html);
        Assert.Contains("<td style=\"text-align: right\">–</td>", html);              // NaN
        Assert.DoesNotContain("EqualityContract", html);
        Assert.Equal(2, html.Split("<tr><td>").Length - 1);
    }

    [Fact]
    public void AnonymousObjectsAndStringsAreEscapedAndNumbersInvariant()
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var html = RecordTables.RowsHtml(new[] { new { token = "<sot>", id = 49406, share = 1234.5678 } });
            Assert.Contains("<th>token</th><th>id</th><th>share</th>", html);
            Assert.Contains("<td>&lt;sot&gt;</td>", html);
            Assert.Contains(">1235<", html);
            Assert.Contains("<th>value</th>", RecordTables.RowsHtml(new[] { "a", "b" }));
            Assert.Contains("<td>a</td>", RecordTables.RowsHtml(new[] { "a", "b" }));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(0.46123, "0.4612")]
    [InlineData(-0.006123, "-0.006123")]
    [InlineData(23.974, "23.97")]
    [InlineData(46.0, "46")]
    [InlineData(12345.6, "12346")]
    [InlineData(double.NaN, "–")]
    public void NumbersHaveFourSignificantDigitsWithoutExponent(double value, string expected) =>
        Assert.Equal(expected, RecordTables.Number(value));

    [Fact]
    public void ASingleRecordOrTupleIsAPropertyValueTableWithNestedRecords()
    {
        var html = RecordTables.PropertiesHtml((new Summary("Shape", 1, 0.5, 0), true));
        Assert.StartsWith("<table><thead><tr><th>property</th><th>value</th></tr></thead>", html);
        Assert.Contains("<tr><td>Item1</td><td><table>", html);                       // a nested record: its own table
        Assert.Contains("<tr><td>Kind</td><td>Shape</td></tr>", html);
        Assert.Contains("<tr><td>Item2</td><td>True</td></tr>", html);
        Assert.Contains("<td>[1, 2.5, –]</td>", RecordTables.PropertiesHtml(new { values = new[] { 1.0, 2.5, double.NaN } }));
    }

    [Fact]
    public void LongListsStopAtMaxRows()
    {
        var html = RecordTables.RowsHtml(Enumerable.Range(0, 500).Select(i => new { i }));
        Assert.Equal(RecordTables.MaxRows, html.Split("<tr><td").Length - 1);
        Assert.Contains($"first {RecordTables.MaxRows} rows", html);
    }

    [Fact]
    public void RegisteredFormattersShowListsAsTablesAndKeepTheSpecificOnes()
    {
        TclFormatters.Register();
        var rows = new[] { new { position = 0, id = 49406, token = "<start_of_text>" } }.Select(r => r).ToList();
        var html = rows.ToDisplayString("text/html");
        Assert.StartsWith("<table><thead><tr><th>position</th><th>id</th><th>token</th>", html);

        var demo = new List<DemoResultRow> { new("synthetic_objects", "shape words", 9, 12, 7.13, 6.87) };
        Assert.Contains("<th>MaskCLIP</th><th>Δ</th>", demo.ToDisplayString("text/html"));   // the demo rows' own table

        using (var t = TorchSharp.torch.zeros(2))
            Assert.StartsWith("<pre>Tensor [2]", t.ToDisplayString("text/html"));                  // tensors keep theirs
        var frame = new Microsoft.Data.Analysis.DataFrame(new Microsoft.Data.Analysis.StringDataFrameColumn("benchmark", ["voc"]));
        Assert.StartsWith("<table><thead><tr><th>benchmark</th></tr>", frame.ToDisplayString("text/html"));
        Assert.StartsWith("<table><thead><tr><th>property</th>", (1, "two").ToDisplayString("text/html"));
        Assert.StartsWith("<table><thead><tr><th>property</th>", RecordTables.Of(new Summary("Shape", 1, 0.5, 0)).ToDisplayString("text/html"));
    }
}

/// <summary>Tests that register .NET Interactive's process-wide formatters run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FormatterCollection
{
    public const string Name = "process-wide formatters";
}
