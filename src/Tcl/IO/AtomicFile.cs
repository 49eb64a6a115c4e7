using System.Text;

namespace Tcl.IO;

/// <summary>
/// Atomic file replacement: write a temporary file in the same folder, flush it to disk, then rename it over the
/// target. Readers see the old file or the new one, never a partial one; an exception while writing leaves the old
/// file untouched and removes the temporary. A process killed while writing leaves its temporary behind (hidden:
/// <c>.NAME.PID.GUID.tmp</c>); <see cref="RemoveStaleTemporaries"/> removes those of processes that are gone.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { /* best effort; the target is intact either way */ }
            throw;
        }
    }

    private const string TempSuffix = ".tmp";

    /// <summary>
    /// Deletes the temporaries that writers which are no longer running left in <paramref name="dir"/> (not its
    /// subfolders) and returns their paths. A temporary of a live process other than this one is left alone: it may be
    /// in the middle of a write. This process's own are removed too — call this only when nothing in this process
    /// writes into the folder (e.g. while holding the folder's <see cref="FolderLock"/>), since a container restarts
    /// its process ids and a killed run of an earlier container may have had this very id.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleTemporaries(string dir)
    {
        var removed = new List<string>();
        if (!Directory.Exists(dir)) return removed;
        foreach (var path in Directory.EnumerateFiles(dir, "." + "*" + TempSuffix))
        {
            if (WriterPid(Path.GetFileName(path)) is not { } pid) continue;   // not one of ours
            if (pid != Environment.ProcessId && IsRunning(pid)) continue;
            try
            {
                File.Delete(path);
                removed.Add(path);
            }
            catch (IOException) { /* vanished meanwhile, or busy: the next start tries again */ }
        }
        return removed;
    }

    /// <summary>The process id in <c>.NAME.PID.GUID.tmp</c>, or null for another file name.</summary>
    private static int? WriterPid(string name)
    {
        var parts = name[1..^TempSuffix.Length].Split('.');
        return parts.Length >= 3 && parts[^1].Length == 32 && int.TryParse(parts[^2], out int pid) ? pid : null;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/>, atomically.</summary>
    public static void WriteText(string path, string text) => Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
}
