namespace Tcl.IO;

/// <summary>
/// An exclusive, OS-level lock on a folder: the file <c>.lock</c> in it, held open with <see cref="FileShare.None"/>
/// (on Linux and macOS .NET takes an <c>flock</c> on it; on Windows the share mode itself excludes). The OS drops the
/// lock when the process ends however it ends, so a killed run never leaves a stale lock that blocks the next one.
/// The file itself stays: deleting it on release would let a process that opened the old file and one that creates a
/// new one both believe they hold the lock.
/// </summary>
public sealed class FolderLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _stream;

    private FolderLock(string folder, FileStream stream)
    {
        Folder = folder;
        _stream = stream;
    }

    /// <summary>The locked folder.</summary>
    public string Folder { get; }

    /// <summary>Locks <paramref name="folder"/> (created when absent), or returns null when another holder has it.</summary>
    public static FolderLock? TryAcquire(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new FolderLock(folder, stream);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;   // held by another process (or another run in this one)
        }
    }

    public void Dispose() => _stream.Dispose();
}
