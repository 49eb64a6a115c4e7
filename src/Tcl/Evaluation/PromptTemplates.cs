using System.Reflection;
using System.Text;

namespace Tcl.Evaluation;

/// <summary>
/// The prompt template sets of the official repository (<c>datasets/templates.py</c>), shipped as
/// embedded resources so that evaluation needs no data folder. <c>custom</c> (<c>templates.txt</c>, 9 templates) is
/// the set of every reported number; the others (<c>simple</c>, <c>subset</c>, <c>maskclip</c>,
/// <c>full_imagenet</c>, <c>plural</c>, <c>identity</c>) are named by their file suffix.
/// </summary>
/// <remarks>
/// The files hold one Python format string per line with a single <c>{}</c> placeholder; <see cref="Format"/>
/// reproduces <c>str.format</c> for that case (and the <c>{{</c>/<c>}}</c> escapes), so prompts are byte-identical
/// to the official ones.
/// </remarks>
public static class PromptTemplates
{
    /// <summary>Name of the evaluation set (<c>templates.txt</c>).</summary>
    public const string Custom = "custom";

    private const string ResourcePrefix = "Tcl.Evaluation.templates";

    /// <summary>Names of the embedded sets, <see cref="Custom"/> first.</summary>
    public static IReadOnlyList<string> Names { get; } = DiscoverNames();

    /// <summary>The templates of set <paramref name="name"/> in file order.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the sets.</exception>
    public static IReadOnlyList<string> Get(string name)
    {
        string resource = string.Equals(name, Custom, StringComparison.OrdinalIgnoreCase)
            ? ResourcePrefix + ".txt"
            : $"{ResourcePrefix}_{name.ToLowerInvariant()}.txt";
        using var stream = typeof(PromptTemplates).Assembly.GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"Unknown template set '{name}': expected one of {string.Join(", ", Names)}.", nameof(name));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var templates = new List<string>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) templates.Add(line);
        return templates;
    }

    /// <summary>All prompts of one class, in template order: <c>template.format(className)</c>.</summary>
    public static IReadOnlyList<string> Prompts(string className, IReadOnlyList<string> templates) =>
        templates.Select(t => Format(t, className)).ToList();

    /// <summary>
    /// Python's <c>template.format(value)</c> for templates with positional <c>{}</c> placeholders: every
    /// <c>{}</c> becomes <paramref name="value"/>, <c>{{</c> and <c>}}</c> become single braces.
    /// </summary>
    /// <exception cref="FormatException">Any other brace usage (named or indexed fields are not supported).</exception>
    public static string Format(string template, string value)
    {
        var sb = new StringBuilder(template.Length + value.Length);
        for (int i = 0; i < template.Length; i++)
        {
            char ch = template[i];
            bool hasNext = i + 1 < template.Length;
            if (ch == '{' && hasNext && template[i + 1] == '}') { sb.Append(value); i++; }
            else if (ch == '{' && hasNext && template[i + 1] == '{') { sb.Append('{'); i++; }
            else if (ch == '}' && hasNext && template[i + 1] == '}') { sb.Append('}'); i++; }
            else if (ch is '{' or '}') throw new FormatException($"Unsupported brace at {i} in template '{template}'.");
            else sb.Append(ch);
        }
        return sb.ToString();
    }

    private static List<string> DiscoverNames()
    {
        var names = new List<string>();
        foreach (var r in Assembly.GetExecutingAssembly().GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (r == ResourcePrefix + ".txt") names.Insert(0, Custom);
            else if (r.StartsWith(ResourcePrefix + "_", StringComparison.Ordinal) && r.EndsWith(".txt", StringComparison.Ordinal))
                names.Add(r[(ResourcePrefix.Length + 1)..^4]);
        }
        return names;
    }
}
