using System.Globalization;
using Microsoft.Data.Analysis;

namespace Tcl.Visualization;

/// <summary>
/// Results as a Microsoft.Data.Analysis <see cref="DataFrame"/> for notebooks (it renders as an HTML table and sorts,
/// filters and groups). Column types come from the values, so mIoU stays a number and a benchmark name a string.
/// </summary>
public static class ResultTables
{
    /// <summary>
    /// A frame with one typed column per name: <c>long</c> when every non-null value is an integer type, <c>double</c>
    /// when every non-null value is numeric, otherwise <c>string</c> (invariant culture). <c>null</c> is a missing value.
    /// </summary>
    /// <param name="columns">Column names.</param>
    /// <param name="rows">One value per column in each row.</param>
    public static DataFrame ToDataFrame(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var data = rows.ToList();
        for (int r = 0; r < data.Count; r++)
            if (data[r].Count != columns.Count)
                throw new ArgumentException($"Row {r} has {data[r].Count} values for {columns.Count} columns.", nameof(rows));
        var frameColumns = new List<DataFrameColumn>();
        for (int c = 0; c < columns.Count; c++)
        {
            var values = data.Select(row => row[c]).ToList();
            var present = values.Where(v => v is not null).ToList();
            if (present.Count > 0 && present.All(IsInteger))
                frameColumns.Add(new Int64DataFrameColumn(columns[c], values.Select(v => v is null ? (long?)null : Convert.ToInt64(v, CultureInfo.InvariantCulture))));
            else if (present.Count > 0 && present.All(v => IsInteger(v) || v is float or double or decimal))
                frameColumns.Add(new DoubleDataFrameColumn(columns[c], values.Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture))));
            else
                frameColumns.Add(new StringDataFrameColumn(columns[c], values.Select(v => v is null ? null : Convert.ToString(v, CultureInfo.InvariantCulture))));
        }
        return new DataFrame(frameColumns);
    }

    private static bool IsInteger(object? v) => v is sbyte or byte or short or ushort or int or uint or long or ulong;
}
