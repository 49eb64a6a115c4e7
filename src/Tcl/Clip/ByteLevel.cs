using System.Text;

namespace Tcl.Clip;

/// <summary>
/// GPT-2/CLIP byte-level alphabet (<c>bytes_to_unicode</c>): every byte 0–255 gets a printable Unicode symbol so that
/// BPE can run on UTF-8 bytes while the vocabulary stays a list of strings. Printable Latin-1 bytes stand for
/// themselves; the other 68 bytes (controls, space, a few Latin-1 gaps) are shifted to U+0100 onwards.
/// </summary>
internal static class ByteLevel
{
    /// <summary>Symbol of each byte value, indexed by byte.</summary>
    public static readonly char[] ByteToSymbol;

    /// <summary>
    /// The 256 symbols in the insertion order of CLIP's <c>bytes_to_unicode()</c> dict (the printable ranges first,
    /// then the shifted bytes in ascending byte order); the vocabulary lists them in this order, so ids depend on it.
    /// </summary>
    public static readonly string[] Symbols;

    /// <summary>Byte value of each symbol (−1 for characters that are not byte symbols), indexed by char.</summary>
    private static readonly short[] SymbolToByte;

    static ByteLevel()
    {
        var bytes = new List<int>();
        bytes.AddRange(Enumerable.Range('!', '~' - '!' + 1));
        bytes.AddRange(Enumerable.Range('¡', '¬' - '¡' + 1));
        bytes.AddRange(Enumerable.Range('®', 'ÿ' - '®' + 1));
        var chars = new List<int>(bytes);
        int shifted = 0;
        for (int b = 0; b < 256; b++)
        {
            if (bytes.Contains(b)) continue;
            bytes.Add(b);
            chars.Add(256 + shifted++);
        }

        ByteToSymbol = new char[256];
        Symbols = new string[256];
        SymbolToByte = new short[256 + shifted];
        Array.Fill(SymbolToByte, (short)-1);
        for (int i = 0; i < 256; i++)
        {
            ByteToSymbol[bytes[i]] = (char)chars[i];
            Symbols[i] = ((char)chars[i]).ToString();
            SymbolToByte[chars[i]] = (short)bytes[i];
        }
    }

    /// <summary>
    /// CLIP's <c>SimpleTokenizer.decode</c> on already looked-up token strings: concatenate them, map each symbol back
    /// to its byte, decode UTF-8 with invalid sequences replaced by U+FFFD (Python's <c>errors="replace"</c>; .NET's
    /// decoder substitutes per maximal invalid subpart like CPython), then turn every <c>&lt;/w&gt;</c> into a space.
    /// Characters that are not byte symbols (only possible in the special tokens, which are plain ASCII) are taken
    /// as their own byte, exactly as CLIP's <c>byte_decoder</c> lookup does for those ASCII characters.
    /// </summary>
    public static string Decode(IEnumerable<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (string token in tokens)
        {
            foreach (char c in token)
            {
                int b = c < SymbolToByte.Length ? SymbolToByte[c] : -1;
                if (b < 0)
                    throw new ArgumentException($"Character U+{(int)c:X4} of token '{token}' is not a byte-level symbol.", nameof(tokens));
                bytes.Add((byte)b);
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray()).Replace(ClipVocabulary.EndOfWord, " ", StringComparison.Ordinal);
    }
}
