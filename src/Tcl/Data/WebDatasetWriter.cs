using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Data;

/// <summary>
/// Writes one webdataset shard in img2dataset's layout: for every sample, adjacent entries <c>key.jpg</c> (or
/// <c>.png</c>), <c>key.txt</c> (the caption, UTF-8) and <c>key.json</c> (metadata), in a plain tar. Used by the tests
/// and by the synthetic-world generator so that the real reader (<see cref="WebDatasetShards"/>) is exercised.
/// </summary>
/// <remarks>
/// The shard appears atomically: entries go to a temporary file next to the target, which is renamed onto the target
/// by <see cref="Complete"/>. Disposing without completing deletes the temporary file, so a crash or an exception
/// while generating never leaves a half-written shard that a later training run would read as truncated.
/// Entries carry a fixed modification time and mode, so the same samples give byte-identical shards (reproducible
/// generated datasets, stable checksums).
/// </remarks>
public sealed class WebDatasetWriter : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly string _tempPath;
    private FileStream? _file;
    private TarWriter? _tar;
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    /// <summary>Starts a shard that will appear at <paramref name="path"/> when <see cref="Complete"/> is called.</summary>
    /// <param name="path">The shard's final path, e.g. <c>out/00000.tar</c>; its directory is created if needed.</param>
    public WebDatasetWriter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _tempPath = $"{Path}.{Guid.NewGuid():N}.tmp";
        _file = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _tar = new TarWriter(_file, TarEntryFormat.Ustar, leaveOpen: true);
    }

    /// <summary>The final path of the shard.</summary>
    public string Path { get; }

    /// <summary>Samples written so far.</summary>
    public int Count => _keys.Count;

    /// <summary>JPEG quality of <see cref="Add(string, Image{Rgb24}, string, ImageKind, string?)"/> (img2dataset's default is 95).</summary>
    public int JpegQuality { get; init; } = 95;

    /// <summary>Encodes <paramref name="image"/> and writes one sample (image, caption, metadata).</summary>
    /// <param name="key">Sample key (img2dataset uses zero-padded numbers such as <c>000000012</c>); no dots or slashes.</param>
    /// <param name="image">The image; JPEG is lossy, PNG keeps pixels exactly.</param>
    /// <param name="caption">The caption, written as <c>key.txt</c>.</param>
    /// <param name="kind">How to encode the image.</param>
    /// <param name="json">Metadata written as <c>key.json</c>; null writes img2dataset-like fields (key, caption, status, size).</param>
    public void Add(string key, Image<Rgb24> image, string caption, ImageKind kind = ImageKind.Jpeg, string? json = null)
    {
        using var encoded = new MemoryStream();
        if (kind == ImageKind.Png) image.Save(encoded, new PngEncoder());
        else image.Save(encoded, new JpegEncoder { Quality = JpegQuality });
        json ??= JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["key"] = key, ["caption"] = caption, ["status"] = "success", ["error_message"] = null,
            ["width"] = image.Width, ["height"] = image.Height,
        });
        AddRaw(key, kind == ImageKind.Png ? "png" : "jpg", encoded.ToArray(), caption, json);
    }

    /// <summary>Writes one sample from already encoded parts; a null part is left out (to build broken samples in tests).</summary>
    /// <param name="key">Sample key; no dots or slashes.</param>
    /// <param name="imageExtension">Extension of the image entry without the dot (<c>jpg</c>, <c>jpeg</c>, <c>png</c>).</param>
    /// <param name="imageBytes">The encoded image, or null for a sample without an image.</param>
    /// <param name="caption">The caption, or null for a sample without a <c>.txt</c> entry.</param>
    /// <param name="json">The metadata, or null for no <c>.json</c> entry.</param>
    public void AddRaw(string key, string imageExtension, byte[]? imageBytes, string? caption, string? json = null)
    {
        ValidateKey(key);
        if (!_keys.Add(key))
            throw new ArgumentException($"Key '{key}' was already written to {Path}; webdataset keys must be unique.", nameof(key));
        if (imageBytes != null) AddEntry($"{key}.{imageExtension}", imageBytes);
        if (caption != null) AddEntry($"{key}.txt", Utf8.GetBytes(caption));
        if (json != null) AddEntry($"{key}.json", Utf8.GetBytes(json));
    }

    /// <summary>Writes one tar entry as it is (any name); for tests of unusual layouts.</summary>
    /// <param name="name">The entry name inside the tar, e.g. <c>000001.txt</c>.</param>
    /// <param name="data">The entry's bytes.</param>
    public void AddEntry(string name, byte[] data)
    {
        var tar = _tar ?? throw new ObjectDisposedException(nameof(WebDatasetWriter), "The shard was already completed or disposed.");
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            ModificationTime = DateTimeOffset.UnixEpoch,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            DataStream = new MemoryStream(data, writable: false),
        };
        tar.WriteEntry(entry);
    }

    /// <summary>Finishes the tar, flushes it to disk and renames it onto <see cref="Path"/> (replacing an older file).</summary>
    public void Complete()
    {
        var tar = _tar ?? throw new ObjectDisposedException(nameof(WebDatasetWriter), "The shard was already completed or disposed.");
        tar.Dispose(); // writes the end-of-archive blocks
        _tar = null;
        _file!.Flush(flushToDisk: true);
        _file.Dispose();
        _file = null;
        File.Move(_tempPath, Path, overwrite: true);
    }

    /// <summary>Discards the shard unless <see cref="Complete"/> was called.</summary>
    public void Dispose()
    {
        if (_file == null) return;
        _tar?.Dispose();
        _tar = null;
        _file.Dispose();
        _file = null;
        File.Delete(_tempPath);
    }

    private static void ValidateKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Contains('.') || key.Contains('/') || key.Contains('\\'))
            throw new ArgumentException($"Key '{key}' must not contain '.', '/' or '\\' (webdataset splits names at the first dot).", nameof(key));
    }
}

/// <summary>How <see cref="WebDatasetWriter"/> encodes images.</summary>
public enum ImageKind
{
    /// <summary><c>key.jpg</c>, lossy (what img2dataset writes by default).</summary>
    Jpeg,

    /// <summary><c>key.png</c>, lossless.</summary>
    Png,
}
