using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using nietras.SeparatedValues;

namespace Flexoraa.Leads.Import;

/// <summary>
/// Reads an uploaded lead file as it streams in, without holding the whole file: the first
/// <see cref="CsvFormat.SampleBytes"/> are peeked (not consumed) to detect the encoding and delimiter, then Sep parses
/// the stream row by row. Quoted fields with delimiters, doubled quotes and line breaks, CRLF or LF endings, trailing
/// delimiters and short rows are all read; blank lines are skipped but keep their row numbers, as a spreadsheet does.
/// <para>
/// The header row is read as data (Sep's own header handling rejects duplicate names, and exports do repeat them, e.g.
/// several empty columns), so <see cref="Headers"/> keeps every column in order.
/// </para>
/// </summary>
public sealed class LeadCsvReader : IAsyncDisposable
{
    private readonly SepReader _sep;
    private readonly Stream _stream;

    private LeadCsvReader(CsvFormat format, SepReader sep, Stream stream)
    {
        Format = format;
        _sep = sep;
        _stream = stream;
    }

    public CsvFormat Format { get; }

    /// <summary>The header row's names, trimmed; a file with no header row fails to open.</summary>
    public IReadOnlyList<string> Headers { get; private set; } = [];

    /// <summary>The spreadsheet number of the last row read.</summary>
    private int _lastRow;

    /// <exception cref="CsvFileException">The file is empty or its first row holds no column names.</exception>
    public static async Task<LeadCsvReader> OpenAsync(Stream upload, CancellationToken cancellationToken = default)
    {
        var pipe = PipeReader.Create(upload, new StreamPipeReaderOptions(bufferSize: CsvFormat.SampleBytes, leaveOpen: true));
        var peek = await pipe.ReadAtLeastAsync(CsvFormat.SampleBytes, cancellationToken);
        var sample = System.Buffers.BuffersExtensions.ToArray(peek.Buffer.Slice(0, Math.Min(peek.Buffer.Length, CsvFormat.SampleBytes)));
        pipe.AdvanceTo(peek.Buffer.Start);
        if (sample.Length == 0)
        {
            await pipe.CompleteAsync();
            throw new CsvFileException("The file is empty.");
        }

        var format = CsvFormat.Detect(sample);
        var stream = pipe.AsStream();
        // Nothing was consumed by the peek, so the reader sees the file from its first byte; with a byte-order mark it
        // skips the mark (the encoding it implies is the one detected), without one it decodes as detected.
        var text = new StreamReader(stream, format.Encoding, detectEncodingFromByteOrderMarks: format.PreambleLength > 0, bufferSize: 16 * 1024);
        SepReader sep;
        try
        {
            sep = await Sep.New(format.Delimiter)
                .Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true, Trim = SepTrim.All })
                .FromAsync(text, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CsvFileException($"The file cannot be read as CSV: {e.Message}", e);
        }

        var reader = new LeadCsvReader(format, sep, stream);
        var header = await reader.NextRowAsync(cancellationToken);
        if (header is null || header.Cells.All(string.IsNullOrWhiteSpace))
        {
            await reader.DisposeAsync();
            throw new CsvFileException("The file has no header row: its first row must name the columns.");
        }
        reader.Headers = header.Cells;
        return reader;
    }

    /// <summary>The data rows after the header, blank rows skipped.</summary>
    public async IAsyncEnumerable<CsvRecord> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await NextRowAsync(cancellationToken) is { } record)
        {
            if (record.Cells.All(string.IsNullOrEmpty)) continue;
            yield return record;
        }
    }

    private async Task<CsvRecord?> NextRowAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _sep.MoveNextAsync(cancellationToken) ? Current() : null;
        }
        catch (Exception e) when (e is not OperationCanceledException and not CsvFileException)
        {
            throw new CsvFileException($"The file cannot be read after row {_lastRow}: {e.Message}", e);
        }
    }

    /// <summary>Copies the current row out of Sep's buffer (a ref struct that cannot live across an await).</summary>
    private CsvRecord Current()
    {
        var row = _sep.Current;
        var cells = new string[row.ColCount];
        for (var i = 0; i < cells.Length; i++) cells[i] = row[i].ToString();
        _lastRow = row.RowIndex + 1;
        return new CsvRecord(_lastRow, cells);
    }

    public async ValueTask DisposeAsync()
    {
        _sep.Dispose();
        await _stream.DisposeAsync();
    }
}
