using Tcl.IO;

namespace Tcl.Training;

/// <summary>
/// A run's claim on its output folder, held from before a checkpoint is read until the run is disposed: an exclusive
/// <see cref="FolderLock"/> (a second run into the same folder is refused instead of the two deleting each other's
/// temporaries and checkpoints), the temporaries of killed writes removed, and the rule that one folder holds one run —
/// a fresh run is refused where checkpoints or a metrics log exist, unless it was told to overwrite them.
/// </summary>
internal sealed class RunFolder : IDisposable
{
    /// <summary>The files a run owns besides its metrics log: checkpoints, and those set aside as corrupt on resume.</summary>
    private static readonly string[] RunFilePatterns = ["checkpoint-*.safetensors", "checkpoint-*.safetensors" + TrainingCheckpoint.CorruptSuffix];

    private readonly FolderLock _lock;

    private RunFolder(string folder, FolderLock folderLock)
    {
        Folder = folder;
        _lock = folderLock;
    }

    public string Folder { get; }

    /// <summary>Locks <paramref name="folder"/> (creating it) and removes stale temporaries, each reported.</summary>
    /// <exception cref="OutputFolderException">Another run holds the folder.</exception>
    public static RunFolder Claim(string folder, IProgress<FileWarning>? warnings)
    {
        folder = Path.GetFullPath(folder);
        var folderLock = FolderLock.TryAcquire(folder)
            ?? throw new OutputFolderException(folder, inUse: true,
                $"{folder}: another training run is writing into this output folder right now (it holds {Path.Combine(folder, FolderLock.FileName)}). " +
                "Wait for it to finish, or give this run another output_dir (--output DIR).");
        foreach (var tmp in AtomicFile.RemoveStaleTemporaries(folder))
            warnings?.Report(new FileWarning(tmp, $"{tmp}: removed the temporary file of an interrupted write (the run that wrote it was killed)."));
        return new RunFolder(folder, folderLock);
    }

    /// <summary>The checkpoints and metrics log of an earlier run in the folder (empty when it holds none).</summary>
    public IReadOnlyList<string> RunFiles() =>
        RunFilePatterns.SelectMany(p => Directory.EnumerateFiles(Folder, p))
            .Concat(File.Exists(MetricsPath) ? [MetricsPath] : [])
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Prepares a fresh run: refuses when the folder holds an earlier run, or with <paramref name="overwrite"/>
    /// deletes that run's files (metrics log first, so an interrupted clean-up still shows checkpoints and is refused
    /// again rather than mistaken for an empty folder). Other files (a config, notes) are left alone.
    /// </summary>
    /// <exception cref="OutputFolderException">The folder holds a run and <paramref name="overwrite"/> is false.</exception>
    public void PrepareFresh(bool overwrite, IProgress<FileWarning>? warnings)
    {
        var files = RunFiles();
        if (files.Count == 0) return;
        if (!overwrite)
            throw new OutputFolderException(Folder, inUse: false,
                $"{Folder}: this output folder already holds a training run ({Describe(files)}). A fresh run would destroy it. " +
                "Continue it (--resume; in code TrainingStart.Resume(folder)), give the new run another output_dir (--output DIR), or delete " +
                "the old run first (--overwrite; in code new TrainingStart(Overwrite: true)).");
        if (File.Exists(MetricsPath)) File.Delete(MetricsPath);
        foreach (var file in files.Where(f => f != MetricsPath)) File.Delete(file);
        warnings?.Report(new FileWarning(Folder, $"{Folder}: overwrite: deleted the earlier run ({Describe(files)})."));
    }

    private string MetricsPath => Path.Combine(Folder, Trainer.MetricsFileName);

    private static string Describe(IReadOnlyList<string> files)
    {
        int checkpoints = files.Count(f => Path.GetFileName(f).StartsWith("checkpoint-", StringComparison.Ordinal));
        var parts = new List<string>();
        if (checkpoints > 0) parts.Add($"{checkpoints} checkpoint(s), newest {Path.GetFileName(files.Last(f => Path.GetFileName(f).StartsWith("checkpoint-", StringComparison.Ordinal)))}");
        if (files.Any(f => Path.GetFileName(f) == Trainer.MetricsFileName)) parts.Add(Trainer.MetricsFileName);
        return string.Join(", ", parts);
    }

    public void Dispose() => _lock.Dispose();
}
