using System.Formats.Tar;
using System.Text;
using Tcl.IO;

namespace Tcl.Data;

/// <summary>
/// Image-caption pairs from webdataset tar shards as img2dataset writes them (CC3M, CC12M; official
/// <c>datasets/builder.py</c>): each sample is a run of adjacent tar entries sharing a key — the entry name up to the
/// first dot of its file name, directories included, as webdataset's <c>base_plus_ext</c> splits it — with the image in
/// <c>key.jpg|jpeg|png</c> and the caption in <c>key.txt|text</c>. <c>key.json</c> (img2dataset's metadata) and any
/// other entry are read past and ignored.
/// </summary>
/// <remarks>
/// <para>Streaming: a shard is read front to back with <see cref="TarReader"/> over a sequential file stream; only the
/// current sample's entries are held (as compressed bytes). Images are not decoded here: a record's
/// <see cref="ImageTextRecord.DecodeImage"/> decodes on demand, so the loader can skip records (resuming, shuffling)
/// for the price of reading their bytes.</para>
/// <para>Shard order: every epoch reads all shards, in an order shuffled by <c>(seed, epoch)</c> — the same order
/// whenever the same epoch is read again, which resuming relies on.</para>
/// <para>Broken data, what a user of a web-scraped dataset expects: a sample without caption (or with an empty one)
/// or without image is counted and left out; a missing shard file is an error (at construction, naming the files).
/// A file that cannot be read as a tar at all — not a tar archive, an empty file, unreadable — is skipped whole:
/// <see cref="DataCounters.AddUnreadableShard"/> is counted and a <see cref="FileWarning"/> names it (once per
/// dataset, not every epoch); only when no shard yields a sample does the loader fail. A shard that <em>ends early</em> — the tail cut off by an
/// interrupted download or img2dataset run, or damaged after its first entry — is not fatal: its complete samples
/// are used, the partial sample at the cut is dropped, <see cref="DataCounters.AddTruncatedShard"/> is counted, and
/// reading goes on with the next shard. Crashing hours into a run over one bad shard out of 1,524 helps nobody, while
/// the counter keeps it visible in the training log (webdataset's <c>warn_and_continue</c> does the same).</para>
/// </remarks>
public sealed class WebDatasetShards : IImageTextDataset
{
    /// <summary>Image entry extensions, in order of preference when a sample has several.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = ["jpg", "jpeg", "png"];

    /// <summary>Caption entry extensions, in order of preference.</summary>
    public static IReadOnlyList<string> CaptionExtensions { get; } = ["txt", "text"];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private const string Expected = "expected a webdataset .tar shard as written by img2dataset/webdataset";

    // Shards already reported as unreadable: every epoch re-reads (and re-counts) them, one warning is enough.
    private readonly HashSet<string> _reported = [];

    /// <summary>Reads the given shards.</summary>
    /// <param name="shards">Shard paths (see <see cref="ShardPattern"/> for patterns); must all exist.</param>
    /// <param name="seed">Seed of the per-epoch shard order.</param>
    /// <param name="shuffleShards">False reads the shards in the given order every epoch.</param>
    /// <exception cref="FileNotFoundException">Some shards do not exist (the message names them).</exception>
    public WebDatasetShards(IEnumerable<string> shards, int seed = 0, bool shuffleShards = true)
    {
        Shards = shards.ToList();
        if (Shards.Count == 0)
            throw new ArgumentException("No webdataset shards were given.", nameof(shards));
        var missing = Shards.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException(
                $"{missing.Count} of {Shards.Count} webdataset shard(s) do not exist: {string.Join(", ", missing.Take(5).Select(p => $"'{p}'"))}"
                + (missing.Count > 5 ? ", …" : "") + $" ({Expected}).", missing[0]);
        Seed = seed;
        ShuffleShards = shuffleShards;
    }

    /// <summary>Reads the shards a pattern names (<see cref="ShardPattern.Expand(string)"/>), e.g.
    /// <c>/data/cc3m/gcc-train-{000000..000347}.tar</c> or a directory.</summary>
    /// <param name="pattern">Brace pattern, directory, glob or path.</param>
    /// <param name="seed">Seed of the per-epoch shard order.</param>
    /// <param name="shuffleShards">False reads the shards in the listed order every epoch.</param>
    public static WebDatasetShards FromPattern(string pattern, int seed = 0, bool shuffleShards = true) =>
        new(ShardPattern.Expand(pattern), seed, shuffleShards);

    /// <summary>The shard paths, in the given (unshuffled) order.</summary>
    public IReadOnlyList<string> Shards { get; }

    /// <summary>Seed of the per-epoch shard order.</summary>
    public int Seed { get; }

    /// <summary>Whether shards are read in a seeded order per epoch.</summary>
    public bool ShuffleShards { get; }

    public string Description => Shards.Count == 1
        ? $"webdataset: 1 shard '{Shards[0]}'"
        : $"webdataset: {Shards.Count} shards '{Shards[0]}' … '{Shards[^1]}'";

    /// <summary>The order in which <see cref="ReadEpoch"/> reads the shards in <paramref name="epoch"/>.</summary>
    /// <param name="epoch">0-based epoch.</param>
    public IReadOnlyList<string> ShardOrder(int epoch)
    {
        var order = Shards.ToList();
        if (ShuffleShards)
            DataSeeds.Shuffle(order, DataSeeds.Generator(Seed, epoch, DataSeeds.ShardOrderSalt));
        return order;
    }

    public IEnumerable<ImageTextRecord> ReadEpoch(int epoch, DataCounters counters)
    {
        foreach (string shard in ShardOrder(epoch))
        {
            bool warn;
            lock (_reported) warn = _reported.Add(shard);
            foreach (var record in ReadShard(shard, counters, warn))
                yield return record;
        }
    }

    /// <summary>Streams the samples of one shard file.</summary>
    /// <param name="path">The shard.</param>
    /// <param name="counters">Where skipped samples, a truncation and an unreadable shard (with a warning) are counted.</param>
    public static IEnumerable<ImageTextRecord> ReadShard(string path, DataCounters counters) => ReadShard(path, counters, warn: true);

    private static IEnumerable<ImageTextRecord> ReadShard(string path, DataCounters counters, bool warn)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Deleted, moved or made unreadable since the run started: one shard of many, not the end of the run.
            Unreadable(counters, path, warn, $"cannot be opened ({e.Message})");
            yield break;
        }
        using (file)
        {
            if (file.Length == 0)
            {
                Unreadable(counters, path, warn, "is an empty file (0 bytes)");
                yield break;
            }
            foreach (var record in ReadShard(file, path, counters, warn))
                yield return record;
        }
    }

    private static void Unreadable(DataCounters counters, string shard, bool warn, string what)
    {
        counters.AddUnreadableShard();
        if (warn) counters.Warn(new FileWarning(shard, $"{shard} {what}; {Expected}. Skipped (its samples are left out of every epoch)."));
    }

    /// <summary>
    /// Streams the samples of one shard from <paramref name="tar"/>, which may be non-seekable (a pipe, an HTTP
    /// response): entries are read strictly in order and a sample is yielded as soon as the next key begins.
    /// </summary>
    /// <param name="tar">The tar bytes; left open.</param>
    /// <param name="shardName">Name used in error messages.</param>
    /// <param name="counters">Where skipped samples and a truncation are counted; a stream that is not a tar (its
    /// first header does not parse) is counted as an unreadable shard, with a warning, and yields nothing.</param>
    public static IEnumerable<ImageTextRecord> ReadShard(Stream tar, string shardName, DataCounters counters) =>
        ReadShard(tar, shardName, counters, warn: true);

    private static IEnumerable<ImageTextRecord> ReadShard(Stream tar, string shardName, DataCounters counters, bool warn)
    {
        using var reader = new TarReader(tar, leaveOpen: true);
        Sample? pending = null;
        bool first = true;
        while (true)
        {
            var status = NextFile(reader, first, out string name, out byte[] data, out string? notTar);
            first = false;
            if (status == EntryStatus.NotTar)
            {
                Unreadable(counters, shardName, warn, $"is not a tar archive ({notTar})");
                yield break;
            }
            if (status == EntryStatus.Truncated)
            {
                counters.AddTruncatedShard(); // the pending sample may be incomplete: dropped
                yield break;
            }
            if (status == EntryStatus.End) break;
            if (!SplitName(name, out string key, out string extension)) continue;
            if (pending != null && pending.Key != key)
            {
                if (pending.ToRecord(counters) is { } record) yield return record;
                pending = null;
            }
            pending ??= new Sample(key, shardName);
            pending.Parts.TryAdd(extension, data);
        }
        if (pending?.ToRecord(counters) is { } last) yield return last;
    }

    private enum EntryStatus { File, End, Truncated, NotTar }

    /// <summary>The next regular file entry with its bytes. An unreadable first header means "not a tar"; a failure
    /// after that means the shard ends early.</summary>
    private static EntryStatus NextFile(TarReader reader, bool first, out string name, out byte[] data, out string? notTar)
    {
        name = "";
        data = [];
        notTar = null;
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = reader.GetNextEntry(copyData: false);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
            {
                if (!first) return EntryStatus.Truncated;
                notTar = e.Message;
                return EntryStatus.NotTar;
            }
            if (entry == null) return EntryStatus.End;
            first = false;
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            try
            {
                if (entry.Length > Array.MaxLength)
                    throw new InvalidDataException($"entry '{entry.Name}' of {entry.Length} bytes");
                data = new byte[entry.Length];
                entry.DataStream?.ReadExactly(data);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                return EntryStatus.Truncated;
            }
            name = entry.Name;
            return EntryStatus.File;
        }
    }

    /// <summary>webdataset's <c>base_plus_ext</c>: key = directories + file name up to its first dot; extension = the
    /// rest, compared lower-case. Names without a dot carry no sample part.</summary>
    private static bool SplitName(string name, out string key, out string extension)
    {
        if (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
        int slash = name.LastIndexOf('/');
        int dot = name.IndexOf('.', slash + 1);
        key = dot > slash + 1 ? name[..dot] : "";
        extension = dot > slash + 1 ? name[(dot + 1)..].ToLowerInvariant() : "";
        return key.Length > 0 && extension.Length > 0;
    }

    /// <summary>The entries of one key seen so far (extension → bytes; the first entry of an extension wins).</summary>
    private sealed class Sample(string key, string shard)
    {
        public string Key { get; } = key;
        public Dictionary<string, byte[]> Parts { get; } = new(StringComparer.Ordinal);

        public ImageTextRecord? ToRecord(DataCounters counters)
        {
            byte[]? image = Find(ImageExtensions);
            if (image == null)
            {
                counters.AddMissingImage();
                return null;
            }
            byte[]? text = Find(CaptionExtensions);
            string caption = text == null ? "" : Utf8.GetString(text).TrimStart('\uFEFF');
            if (string.IsNullOrWhiteSpace(caption))
            {
                counters.AddMissingCaption();
                return null;
            }
            return new ImageTextRecord(Key, caption, () => ImageBytes.Decode(image), shard);
        }

        private byte[]? Find(IReadOnlyList<string> extensions)
        {
            foreach (string ext in extensions)
                if (Parts.TryGetValue(ext, out var bytes))
                    return bytes;
            return null;
        }
    }
}
