namespace Tcl.Training;

/// <summary>
/// A checkpoint file cannot be read: cut short (an interrupted copy, a full disk), or its header or metadata is
/// damaged. The message names the file. Distinct from a checkpoint that reads fine but belongs to another model
/// (an <see cref="InvalidDataException"/>): only a corrupt one makes a resume fall back to an older checkpoint.
/// </summary>
public sealed class CorruptCheckpointException : IOException
{
    public CorruptCheckpointException(string path, string message, Exception? inner = null) : base(message, inner) => Path = path;

    /// <summary>The unreadable file.</summary>
    public string Path { get; }
}
