using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Flexoraa.Leads.Import;

/// <summary>
/// How a CSV file is written: its text encoding and its delimiter, found from the file's first bytes. Lead files come
/// from spreadsheets and CRMs on every platform, so the guess has to cover what they actually write:
/// <list type="bullet">
/// <item>UTF-8 with or without a byte-order mark (most exports, Google Sheets, Excel's "CSV UTF-8");</item>
/// <item>UTF-16 LE or BE with a byte-order mark (Excel's "Unicode Text", which is also tab-delimited);</item>
/// <item>Windows-1252 when the bytes are not valid UTF-8 (Excel's plain "CSV" on Western Windows).</item>
/// </list>
/// The delimiter is the candidate (<c>,</c> <c>;</c> tab <c>|</c>) that splits the first lines into the same number of
/// fields, counted outside quotes: Excel in locales with a decimal comma writes <c>;</c>, and a comma inside a quoted
/// company name must not win.
/// </summary>
public sealed record CsvFormat(string EncodingName, char Delimiter, int PreambleLength)
{
    /// <summary>How many bytes of the file the detection looks at.</summary>
    public const int SampleBytes = 64 * 1024;

    private static readonly char[] Candidates = [',', ';', '\t', '|'];

    public Encoding Encoding => EncodingName switch
    {
        "utf-8" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        "utf-16le" => new UnicodeEncoding(bigEndian: false, byteOrderMark: false),
        "utf-16be" => new UnicodeEncoding(bigEndian: true, byteOrderMark: false),
        "windows-1252" => CodePagesEncodingProvider.Instance.GetEncoding(1252)!,
        _ => throw new InvalidOperationException($"Unknown encoding '{EncodingName}'."),
    };

    /// <summary>The spelling used in the import preview and the API.</summary>
    public string DelimiterName => Delimiter switch
    {
        '\t' => "tab",
        _ => Delimiter.ToString(),
    };

    /// <param name="sample">The file's first bytes (up to <see cref="SampleBytes"/>); a sample that ends inside a character is fine.</param>
    public static CsvFormat Detect(ReadOnlySpan<byte> sample)
    {
        var (encodingName, preamble) = DetectEncoding(sample);
        var format = new CsvFormat(encodingName, ',', preamble);
        var text = format.Decode(sample[preamble..]);
        return format with { Delimiter = DetectDelimiter(text) };
    }

    private static (string Name, int Preamble) DetectEncoding(ReadOnlySpan<byte> sample)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return ("utf-8", 3);
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return ("utf-16le", 2);
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return ("utf-16be", 2);
        // Without a mark, UTF-16 text of Latin script has a zero in every other byte; no CSV in an 8-bit encoding does.
        if (sample.Length >= 4 && ZeroShare(sample, 1) > 0.3) return ("utf-16le", 0);
        if (sample.Length >= 4 && ZeroShare(sample, 0) > 0.3) return ("utf-16be", 0);
        return IsUtf8(sample) ? ("utf-8", 0) : ("windows-1252", 0);
    }

    private static double ZeroShare(ReadOnlySpan<byte> sample, int offset)
    {
        int zeros = 0, count = 0;
        for (var i = offset; i < sample.Length; i += 2, count++)
        {
            if (sample[i] == 0) zeros++;
        }
        return count == 0 ? 0 : (double)zeros / count;
    }

    /// <summary>Valid UTF-8, allowing the sample to stop in the middle of a character.</summary>
    private static bool IsUtf8(ReadOnlySpan<byte> sample)
    {
        var buffer = ArrayPool<char>.Shared.Rent(sample.Length + 1);
        try
        {
            var status = Utf8.ToUtf16(sample, buffer, out _, out _, replaceInvalidSequences: false, isFinalBlock: false);
            return status is OperationStatus.Done or OperationStatus.NeedMoreData;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private string Decode(ReadOnlySpan<byte> bytes)
    {
        // The sample may end inside a character; a decoder (not Encoding.GetString) keeps the partial bytes back.
        var decoder = Encoding.GetDecoder();
        var chars = new char[Encoding.GetMaxCharCount(bytes.Length)];
        var count = decoder.GetChars(bytes, chars, flush: false);
        return new string(chars, 0, count);
    }

    private static char DetectDelimiter(string text)
    {
        var lines = FirstRecords(text, 10);
        if (lines.Count == 0) return ',';
        var best = ',';
        var bestScore = 0;
        foreach (var candidate in Candidates)
        {
            var counts = lines.Select(line => CountOutsideQuotes(line, candidate)).ToList();
            var header = counts[0];
            if (header == 0) continue;
            // A delimiter that splits every line like the header scores its field count; one that varies is penalised,
            // so a stray comma in a semicolon file's free text does not win over the semicolons.
            var consistent = counts.Count(c => c == header);
            var score = header * consistent;
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    /// <summary>The first records of <paramref name="text"/>, a line break inside quotes not ending one; blank lines skipped.</summary>
    private static List<string> FirstRecords(string text, int max)
    {
        var records = new List<string>();
        var inQuotes = false;
        var start = 0;
        for (var i = 0; i < text.Length && records.Count < max; i++)
        {
            var c = text[i];
            if (c == '"') inQuotes = !inQuotes;
            else if (!inQuotes && c is '\n' or '\r')
            {
                if (i > start) records.Add(text[start..i]);
                start = i + 1;
            }
        }
        // The last, possibly cut-off record counts only when the sample is the whole file's start and nothing else is known.
        if (records.Count == 0 && start < text.Length) records.Add(text[start..]);
        return records;
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        var count = 0;
        var inQuotes = false;
        foreach (var c in line)
        {
            if (c == '"') inQuotes = !inQuotes;
            else if (c == delimiter && !inQuotes) count++;
        }
        return count;
    }
}
