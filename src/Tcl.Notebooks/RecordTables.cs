using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.DotNet.Interactive.Formatting;

namespace Tcl.Notebooks;

/// <summary>
/// Lists of records and anonymous objects as HTML tables, one column per public property, instead of .NET Interactive's
/// default, which folds every property that is itself an object into a collapsed <c>TypeName { … }</c>. A tuple or a
/// single record shown with <see cref="Of"/> becomes a two-column property/value table. Numbers are formatted with the
/// invariant culture to 4 significant digits (never in exponent form), NaN as –; a property whose value is a record is a
/// nested property table, a collection its first values.
/// </summary>
public static class RecordTables
{
    private const string HtmlMime = "text/html";

    /// <summary>How many rows a table shows (the rest is counted below it).</summary>
    public static int MaxRows { get; set; } = 100;

    /// <summary>How many values of a collection-valued property a cell shows.</summary>
    public static int MaxCellValues { get; set; } = 8;

    /// <summary>
    /// Registers the formatters: any <c>IEnumerable</c> of reference-type elements (records, anonymous objects, strings)
    /// as a table, a tuple and a <see cref="PropertyTable"/> as property/value tables. More specific formatters (lists of
    /// <c>DemoResultRow</c>, <c>DataFrame</c>, images, tensors) keep their own display.
    /// </summary>
    public static void Register()
    {
        Formatter.Register<IEnumerable<object>>((rows, writer) => writer.Write(RowsHtml(rows)), HtmlMime);
        Formatter.Register<ITuple>((tuple, writer) => writer.Write(PropertiesHtml(tuple)), HtmlMime);
        Formatter.Register<PropertyTable>((table, writer) => writer.Write(PropertiesHtml(table.Value)), HtmlMime);
        Formatter.SetPreferredMimeTypesFor(typeof(PropertyTable), HtmlMime);
    }

    /// <summary>A single record or anonymous object, shown as a property/value table: <c>RecordTables.Of(new { w, b })</c>.</summary>
    public static PropertyTable Of(object value) => new(value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>
    /// The rows as a table: records and anonymous objects give one column per public property (the union over the rows,
    /// in order of first appearance); numbers, strings and other simple values give one <c>value</c> column.
    /// </summary>
    public static string RowsHtml(IEnumerable rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var taken = new List<object?>();
        bool more = false;
        foreach (var row in rows)
        {
            if (taken.Count == MaxRows) { more = true; break; }
            taken.Add(row);
        }
        var html = new StringBuilder("<table><thead><tr>");
        var columns = taken.Where(r => r is not null && !IsSimple(r.GetType()))
            .SelectMany(r => Properties(r!.GetType())).DistinctBy(p => p.Name).ToList();
        bool simpleColumn = taken.Count == 0 || taken.Any(r => r is null || IsSimple(r.GetType()));
        if (simpleColumn) html.Append("<th>value</th>");
        foreach (var column in columns) html.Append("<th>").Append(Escape(column.Name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in taken)
        {
            html.Append("<tr>");
            bool simple = row is null || IsSimple(row.GetType());
            if (simpleColumn) html.Append(Cell(simple ? row : null, 0));
            foreach (var column in columns)
                html.Append(Cell(simple ? null : Read(row!, column.Name), 0));
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (more) html.Append($"<p>first {MaxRows} rows</p>");
        return html.ToString();
    }

    /// <summary>One object's public properties (a tuple's items) as a two-column property/value table.</summary>
    public static string PropertiesHtml(object value) => PropertiesHtml(value, 0);

    /// <summary>A number for a table: invariant culture, 4 significant digits without exponent, NaN as –.</summary>
    public static string Number(double v)
    {
        if (double.IsNaN(v)) return "–";
        if (double.IsInfinity(v)) return v > 0 ? "∞" : "−∞";
        if (v == 0) return "0";
        int decimals = Math.Clamp(3 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 0, 6);
        var text = Math.Round(v, decimals).ToString("F" + decimals, CultureInfo.InvariantCulture);
        return text.Contains('.') ? text.TrimEnd('0').TrimEnd('.') : text;
    }

    private static string PropertiesHtml(object value, int depth)
    {
        ArgumentNullException.ThrowIfNull(value);
        var html = new StringBuilder("<table><thead><tr><th>property</th><th>value</th></tr></thead><tbody>");
        if (value is ITuple tuple)
            for (int i = 0; i < tuple.Length; i++)
                html.Append($"<tr><td>Item{i + 1}</td>").Append(Cell(tuple[i], depth + 1)).Append("</tr>");
        else
            foreach (var property in Properties(value.GetType()))
                html.Append("<tr><td>").Append(Escape(property.Name)).Append("</td>")
                    .Append(Cell(Read(value, property.Name), depth + 1)).Append("</tr>");
        return html.Append("</tbody></table>").ToString();
    }

    private static string Cell(object? value, int depth) => value switch
    {
        double or float or decimal or sbyte or byte or short or ushort or int or uint or long or ulong =>
            $"<td style=\"text-align: right\">{Escape(Text(value))}</td>",
        null or string or bool or Enum or char => $"<td>{Escape(Text(value))}</td>",
        IEnumerable items => $"<td>{Escape(Values(items))}</td>",
        _ when depth < 2 && !IsSimple(value.GetType()) && Properties(value.GetType()).Count > 0 => $"<td>{PropertiesHtml(value, depth)}</td>",
        _ => $"<td>{Escape(Text(value))}</td>",
    };

    private static string Values(IEnumerable items)
    {
        var shown = new List<string>();
        bool more = false;
        foreach (var item in items)
        {
            if (shown.Count == MaxCellValues) { more = true; break; }
            shown.Add(Text(item));
        }
        return "[" + string.Join(", ", shown) + (more ? ", …" : "") + "]";
    }

    private static string Text(object? value) => value switch
    {
        null => "–",
        double d => Number(d),
        float f => Number(f),
        decimal m => Number((double)m),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool IsSimple(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
        || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);

    private static IReadOnlyList<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .ToList();

    private static object? Read(object row, string name)
    {
        var property = row.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
        if (property is null || property.GetIndexParameters().Length > 0) return null;
        try
        {
            return property.GetValue(row);
        }
        catch (TargetInvocationException e)
        {
            return $"({e.InnerException?.GetType().Name ?? "error"})";
        }
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>A single object to show as a property/value table (<see cref="RecordTables.Of"/>).</summary>
/// <param name="Value">The record or anonymous object.</param>
public sealed record PropertyTable(object Value);
