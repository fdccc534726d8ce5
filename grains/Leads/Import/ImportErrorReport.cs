using nietras.SeparatedValues;

namespace Flexoraa.Leads.Import;

/// <summary>
/// The downloadable error report of an import: a CSV with one line per problem (row number as the spreadsheet numbers
/// it, column header, the offending value, what is wrong), comma-delimited UTF-8 with a byte-order mark so Excel opens
/// it with the right characters. Every cell is neutralised (<see cref="SpreadsheetText"/>): the values are the
/// uploader's own text and may be formulas.
/// </summary>
public static class ImportErrorReport
{
    public static readonly string[] Header = ["row", "column", "value", "problem"];

    public static async Task WriteAsync(Stream destination, IAsyncEnumerable<ImportProblem> problems, CancellationToken cancellationToken = default)
    {
        await using var text = new StreamWriter(destination, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024, leaveOpen: true);
        await using (var writer = Sep.New(',').Writer(o => o with { Escape = true, WriteHeader = true }).To(text))
        {
            writer.Header.Add(Header);
            var written = 0;
            await foreach (var problem in problems.WithCancellation(cancellationToken))
            {
                Write(writer, problem);
                // Sep buffers rows; flushing every so often keeps a download of a big report streaming.
                if (++written % 1000 == 0) await writer.FlushAsync(cancellationToken);
            }
            // An import without problems still gets a report with the header, so a script that downloads it can parse it.
            if (written == 0) await writer.Header.WriteAsync(cancellationToken);
        }
        await text.FlushAsync(cancellationToken);
    }

    private static void Write(SepWriter writer, ImportProblem problem)
    {
        using var row = writer.NewRow();
        row[Header[0]].Format(problem.RowNumber);
        row[Header[1]].Set(SpreadsheetText.Neutralise(problem.Column));
        row[Header[2]].Set(SpreadsheetText.Neutralise(problem.Value));
        row[Header[3]].Set(SpreadsheetText.Neutralise(problem.Problem));
    }
}
