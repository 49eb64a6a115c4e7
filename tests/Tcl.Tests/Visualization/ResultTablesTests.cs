using Microsoft.Data.Analysis;
using Tcl.Visualization;
using Xunit;

namespace Tcl.Tests.Visualization;

/// <summary>DataFrame column types inferred from values.</summary>
public class ResultTablesTests
{
    [Fact]
    public void ColumnsAreTypedFromTheirValues()
    {
        var frame = ResultTables.ToDataFrame(["benchmark", "mIoU", "images", "note"],
        [
            ["voc", 51.25, 1449L, null],
            ["context", 30, 5105, "with background"],
            ["object", null, 2, 3.5],
        ]);
        Assert.Equal(3, frame.Rows.Count);
        Assert.IsType<StringDataFrameColumn>(frame.Columns["benchmark"]);
        Assert.IsType<DoubleDataFrameColumn>(frame.Columns["mIoU"]);             // mixed double / int → double
        Assert.IsType<Int64DataFrameColumn>(frame.Columns["images"]);            // long and int → long
        Assert.IsType<StringDataFrameColumn>(frame.Columns["note"]);             // string and number → string
        Assert.Equal(51.25, frame.Columns["mIoU"][0]);
        Assert.Equal(30.0, frame.Columns["mIoU"][1]);
        Assert.Null(frame.Columns["mIoU"][2]);
        Assert.Equal(5105L, frame.Columns["images"][1]);
        Assert.Equal("3.5", frame.Columns["note"][2]);
        Assert.Null(frame.Columns["note"][0]);
    }

    [Fact]
    public void RowsOfTheWrongLengthAreRejected() =>
        Assert.Throws<ArgumentException>(() => ResultTables.ToDataFrame(["a", "b"], [new object?[] { 1 }]));
}
