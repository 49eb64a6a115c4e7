namespace Tcl.Notebooks.Runner;

/// <summary>
/// Where one executed notebook goes in the output folder. The client writes <see cref="Scratch"/>; only a notebook
/// without problems then replaces <see cref="Final"/>, which may be the committed notebook itself when the notebooks
/// are regenerated in place (<c>--output notebooks</c>). A notebook with problems goes to <see cref="Failed"/> and
/// never touches <see cref="Final"/>.
/// </summary>
/// <param name="Final"><c>DIR/NAME.ipynb</c>.</param>
/// <param name="Failed"><c>DIR/NAME.failed.ipynb</c>.</param>
/// <param name="Scratch"><c>DIR/.NAME.executing.ipynb</c>, hidden, what the client writes.</param>
public sealed record ExecutedNotebookFiles(string Final, string Failed, string Scratch)
{
    /// <summary>The files of notebook <paramref name="name"/> (without extension) in <paramref name="outputDir"/>.</summary>
    public static ExecutedNotebookFiles For(string outputDir, string name) => new(
        Path.Combine(outputDir, name + ".ipynb"),
        Path.Combine(outputDir, name + ".failed.ipynb"),
        Path.Combine(outputDir, $".{name}.executing.ipynb"));

    /// <summary>Moves the scratch file into place: to <see cref="Final"/> (removing an old <see cref="Failed"/>) when
    /// <paramref name="clean"/>, else to <see cref="Failed"/>.</summary>
    /// <returns>The path written.</returns>
    public string Publish(bool clean)
    {
        if (clean) File.Delete(Failed);
        var target = clean ? Final : Failed;
        File.Move(Scratch, target, overwrite: true);
        return target;
    }
}
