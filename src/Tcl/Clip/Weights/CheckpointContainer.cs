using System.IO.Compression;

namespace Tcl.Clip.Weights;

/// <summary>The file containers the importer reads; the naming scheme inside is decided later from the keys.</summary>
internal enum CheckpointContainer
{
    /// <summary>TorchScript archive: zip with <c>code/</c> and <c>constants.pkl</c> (what <c>torch.jit.save</c> writes).</summary>
    TorchScriptArchive,

    /// <summary>Zip written by <c>torch.save</c> (PyTorch ≥ 1.6): <c>data.pkl</c> plus <c>data/N</c> storages, no code.</summary>
    PyTorchZip,

    /// <summary>safetensors: 8-byte little-endian header length, a JSON header, raw tensor bytes.</summary>
    Safetensors,
}

/// <summary>
/// Recognises a weight file's container from its first bytes and, for zips, its entry names. Extensions are ignored
/// on purpose: <c>.pt</c> is used for both TorchScript archives and plain <c>torch.save</c> files, and users rename
/// files freely.
/// </summary>
internal static class CheckpointSniffer
{
    /// <summary>What the importer accepts, repeated in every "not a checkpoint" error.</summary>
    public const string Expected =
        "expected an OpenAI CLIP TorchScript archive (zip with code/ and constants.pkl), a PyTorch torch.save zip " +
        "state dict (zip with data.pkl), or a .safetensors file (8-byte header length + JSON header)";

    // Pickle protocol 2, then the 10-byte long 0x1950a86a20f9469cfc6c that torch.save wrote before the zip format.
    private static readonly byte[] LegacyTorchMagic = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20];

    /// <summary>The container of <paramref name="path"/>, or a <see cref="WeightLoadException"/> naming the file.</summary>
    public static CheckpointContainer Detect(string path)
    {
        WeightFiles.RequireFile(path);
        using var stream = File.OpenRead(path);
        var head = new byte[16];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);

        if (read >= 4 && head[0] == 0x50 && head[1] == 0x4b && head[2] == 0x03 && head[3] == 0x04)
            return DetectZip(path, stream);
        if (read >= LegacyTorchMagic.Length && head.AsSpan(0, LegacyTorchMagic.Length).SequenceEqual(LegacyTorchMagic))
            throw new WeightLoadException(path,
                "legacy (non-zip) torch.save file, written by PyTorch < 1.6; it cannot be read here. Re-save it with " +
                "a current PyTorch (torch.save(torch.load(f), f2)) or as .safetensors.");
        if (SafetensorsLayout.Check(path, stream, head.AsSpan(0, read)))
            return CheckpointContainer.Safetensors;
        throw new WeightLoadException(path, $"not a weight file: {Expected}. First bytes: {Hex(head.AsSpan(0, Math.Min(read, 8)))}.");
    }

    private static CheckpointContainer DetectZip(string path, Stream stream)
    {
        stream.Position = 0;
        List<string> names;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            names = zip.Entries.Select(e => e.FullName).ToList();
        }
        catch (InvalidDataException e)
        {
            throw new WeightLoadException(path, $"starts like a zip archive but cannot be opened as one ({e.Message}); {Expected}.", e);
        }

        // Both writers put everything under one top-level folder named after the file (e.g. "ViT-B-16/code/...").
        if (names.Any(n => n.Contains("/code/") || n.EndsWith("/constants.pkl", StringComparison.Ordinal)))
            return CheckpointContainer.TorchScriptArchive;
        if (names.Any(n => n == "data.pkl" || n.EndsWith("/data.pkl", StringComparison.Ordinal)))
            return CheckpointContainer.PyTorchZip;
        throw new WeightLoadException(path,
            $"a zip archive without data.pkl or code/ (entries: {WeightLoadException.CappedList(names)}); {Expected}.");
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => bytes.Length == 0 ? "(empty file)" : Convert.ToHexString(bytes);
}
