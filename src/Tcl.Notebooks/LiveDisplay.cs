using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Tcl.Notebooks;

/// <summary>
/// One output of the running cell that can be replaced in place (a status line, a live chart). .NET Interactive's own
/// <c>value.Display().Update(…)</c> cannot serve here: in 1.0.0-beta.26120.1 the handle's id is generated lazily and
/// differs from the id of the output it displayed, so no front end (nor our runner) can tell which output an update
/// replaces. This publishes both events with one id.
/// </summary>
public sealed class LiveDisplay
{
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly KernelInvocationContext _context;

    /// <summary>Displays <paramref name="value"/> in the running cell (formatted as the notebook's formatters show it).</summary>
    /// <exception cref="InvalidOperationException">Not inside a running notebook cell.</exception>
    public LiveDisplay(object value) : this(value, Format(value))
    {
    }

    private LiveDisplay(object value, FormattedValue[] formatted)
    {
        _context = KernelInvocationContext.Current
                   ?? throw new InvalidOperationException("LiveDisplay needs a running notebook cell (no KernelInvocationContext).");
        _context.Publish(new DisplayedValueProduced(value, _context.Command, formatted, _id));
    }

    /// <summary>Displays already formatted content, e.g. <c>text/html</c> built by hand.</summary>
    /// <exception cref="InvalidOperationException">Not inside a running notebook cell.</exception>
    public static LiveDisplay Raw(string mimeType, string content) => new(content, [new FormattedValue(mimeType, content)]);

    /// <summary>Replaces the displayed value with <paramref name="value"/>.</summary>
    public void Update(object value) => _context.Publish(new DisplayedValueUpdated(value, _id, _context.Command, Format(value)));

    /// <summary>Replaces the displayed value with already formatted content.</summary>
    public void UpdateRaw(string mimeType, string content) =>
        _context.Publish(new DisplayedValueUpdated(content, _id, _context.Command, [new FormattedValue(mimeType, content)]));

    private static FormattedValue[] Format(object value)
    {
        var mimeType = Formatter.GetPreferredMimeTypesFor(value.GetType()).FirstOrDefault() ?? PlainTextFormatter.MimeType;
        return [new FormattedValue(mimeType, value.ToDisplayString(mimeType))];
    }
}
