namespace Tcl.IO;

/// <summary>The CRC-32 of PNG chunks (ISO 3309 / zlib polynomial 0xEDB88320), table-driven.</summary>
internal static class PngCrc
{
    private static readonly uint[] Table = Build();

    /// <summary>CRC of <paramref name="data"/> (a chunk's type and data bytes).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    private static uint[] Build()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }
}
