namespace Tcl.Data.Synthetic;

/// <summary>
/// How often a caption mentions each part of a scene (web alt-text mentions some things and omits others). Omissions
/// matter for what contrastive pre-training learns: when almost every caption names the colours and the stuff, colour
/// and stuff alone tell a batch's captions apart and the shapes are never needed, so a small CLIP learns no shapes.
/// </summary>
/// <param name="Object">Chance that an object is mentioned at all (at least one always is).</param>
/// <param name="Colour">Chance that a mentioned shape gets its colour word.</param>
/// <param name="Pattern">Chance that a patterned shape gets its pattern word.</param>
/// <param name="Size">Chance that a single shape gets a size word.</param>
/// <param name="Stuff">Chance that the dominant stuff is mentioned ("on sand").</param>
public sealed record CaptionStyle(double Object = 0.75, double Colour = 0.85, double Pattern = 0.7, double Size = 0.35, double Stuff = 0.7)
{
    /// <summary>The default style.</summary>
    public static CaptionStyle Default { get; } = new();

    /// <summary>Throws when a chance is not a probability.</summary>
    public void Validate()
    {
        foreach (var (name, p) in new[] { ("Object", Object), ("Colour", Colour), ("Pattern", Pattern), ("Size", Size), ("Stuff", Stuff) })
            if (p is < 0 or > 1) throw new ArgumentException($"Captions.{name} must be a probability, got {p}.");
    }
}
