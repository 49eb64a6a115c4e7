namespace Tcl.Training;

/// <summary>
/// A run cannot use its output folder: another run is writing there right now, or a fresh run would overwrite the
/// checkpoints and metrics of an earlier one. Nothing in the folder was changed.
/// </summary>
public sealed class OutputFolderException : IOException
{
    public OutputFolderException(string folder, bool inUse, string message) : base(message)
    {
        Folder = folder;
        InUse = inUse;
    }

    /// <summary>The output folder.</summary>
    public string Folder { get; }

    /// <summary>True when another run holds the folder's lock (retrying later may work); false when it holds an earlier run.</summary>
    public bool InUse { get; }
}
