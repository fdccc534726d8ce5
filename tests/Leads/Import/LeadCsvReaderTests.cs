using System.IO.Pipelines;
using System.Text;
using Flexoraa.Leads.Import;

namespace Flexoraa.Tests.Leads.Import;

/// <summary>
/// Lead files as spreadsheets and CRMs really write them: every encoding Excel produces, every delimiter, quoted fields
/// with line breaks, blank lines, trailing delimiters; read as a stream, with rows numbered as the spreadsheet shows them.
/// </summary>
public sealed class LeadCsvReaderTests
{
    [Fact]
    public async Task A_semicolon_file_with_a_UTF8_byte_order_mark_reads_its_accents_and_hides_the_mark()
    {
        var file = Bytes(new UTF8Encoding(true), "First Name;Last Name;Email\r\nJosé;Müller;jose@example.com\r\n", preamble: true);

        var (format, headers, rows) = await ReadAsync(file);

        Assert.Equal(("utf-8", ';', 3), (format.EncodingName, format.Delimiter, format.PreambleLength));
        Assert.Equal(["First Name", "Last Name", "Email"], headers);
        Assert.Equal(["José", "Müller", "jose@example.com"], rows.Single().Cells);
    }

    [Fact]
    public async Task Excels_Unicode_Text_is_UTF16_LE_with_a_mark_and_tabs()
    {
        var file = Bytes(new UnicodeEncoding(false, true), "Name\tCompany\r\nZoë Ångström\tSöderberg AB\r\n", preamble: true);

        var (format, headers, rows) = await ReadAsync(file);

        Assert.Equal(("utf-16le", '\t', "tab"), (format.EncodingName, format.Delimiter, format.DelimiterName));
        Assert.Equal(["Name", "Company"], headers);
        Assert.Equal(["Zoë Ångström", "Söderberg AB"], rows.Single().Cells);
    }

    [Fact]
    public async Task UTF16_BE_with_a_mark_is_read_too()
    {
        var file = Bytes(new UnicodeEncoding(true, true), "Name,Phone\nAnn,+1 415 555 0100\n", preamble: true);

        var (format, _, rows) = await ReadAsync(file);

        Assert.Equal("utf-16be", format.EncodingName);
        Assert.Equal(["Ann", "+1 415 555 0100"], rows.Single().Cells);
    }

    [Fact]
    public async Task Bytes_that_are_not_UTF8_are_read_as_Windows_1252()
    {
        var file = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes("Name,Company\r\nRené Dubois,Café “Noir” — Paris\r\n");

        var (format, _, rows) = await ReadAsync(file);

        Assert.Equal("windows-1252", format.EncodingName);
        Assert.Equal(["René Dubois", "Café “Noir” — Paris"], rows.Single().Cells);
    }

    [Fact]
    public async Task Quoted_fields_keep_their_delimiters_quotes_and_line_breaks_and_count_as_one_row()
    {
        var file = Encoding.UTF8.GetBytes("Name,Notes,Company\r\n\"Ann\",\"called twice,\r\nsaid \"\"call back\"\"\",\"Acme, Inc\"\r\nBob,short,Beta\r\n");

        var (_, _, rows) = await ReadAsync(file);

        Assert.Equal(2, rows.Count);
        Assert.Equal(["Ann", "called twice,\r\nsaid \"call back\"", "Acme, Inc"], rows[0].Cells);
        Assert.Equal(2, rows[0].RowNumber);
        Assert.Equal(3, rows[1].RowNumber);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_but_keep_their_row_numbers_and_trailing_delimiters_add_only_empty_cells()
    {
        var file = Encoding.UTF8.GetBytes("Name,Email,\nAnn,ann@example.com,\n\nBob,bob@example.com,\n\n");

        var (_, headers, rows) = await ReadAsync(file);

        Assert.Equal(["Name", "Email", ""], headers);
        Assert.Equal([2, 4], rows.Select(r => r.RowNumber));
        Assert.Equal("bob@example.com", rows[1][1]);
        Assert.Equal("", rows[1][7]);
    }

    [Fact]
    public async Task A_comma_inside_quoted_company_names_does_not_beat_the_semicolons()
    {
        var file = Encoding.UTF8.GetBytes("Company;Name;Email\n\"Acme, Inc\";Ann;a@x.io\n\"Beta, LLC\";Bob;b@x.io\n");

        var (format, _, rows) = await ReadAsync(file);

        Assert.Equal(';', format.Delimiter);
        Assert.Equal("Beta, LLC", rows[1][0]);
    }

    [Theory]
    [InlineData('|')]
    [InlineData('\t')]
    [InlineData(',')]
    [InlineData(';')]
    public async Task Each_common_delimiter_is_detected(char delimiter)
    {
        var file = Encoding.UTF8.GetBytes($"Name{delimiter}Email{delimiter}Phone\nAnn{delimiter}ann@x.io{delimiter}555\n");

        var (format, _, rows) = await ReadAsync(file);

        Assert.Equal(delimiter, format.Delimiter);
        Assert.Equal(["Ann", "ann@x.io", "555"], rows.Single().Cells);
    }

    [Fact]
    public async Task A_header_only_file_has_columns_and_no_rows()
    {
        var (_, headers, rows) = await ReadAsync(Encoding.UTF8.GetBytes("First Name,Last Name\r\n"));

        Assert.Equal(["First Name", "Last Name"], headers);
        Assert.Empty(rows);
    }

    [Fact]
    public async Task An_empty_file_or_one_without_a_header_row_is_refused_with_a_reason()
    {
        var empty = await Assert.ThrowsAsync<CsvFileException>(() => ReadAsync([]));
        var blank = await Assert.ThrowsAsync<CsvFileException>(() => ReadAsync(Encoding.UTF8.GetBytes(",,\n")));

        Assert.Contains("empty", empty.Message);
        Assert.Contains("header", blank.Message);
    }

    [Fact]
    public async Task A_large_upload_streams_through_without_being_seekable_and_every_row_arrives_numbered()
    {
        const int rows = 100_000;
        var pipe = new Pipe();
        var writing = Task.Run(async () =>
        {
            await using var writer = new StreamWriter(pipe.Writer.AsStream(), new UTF8Encoding(false));
            await writer.WriteAsync("First Name,Last Name,Email,Mobile Phone\n");
            for (var i = 0; i < rows; i++) await writer.WriteAsync($"Ann{i},Lee,ann{i}@example.com,+1415555{i:D4}\n");
        });

        await using var reader = await LeadCsvReader.OpenAsync(pipe.Reader.AsStream());
        var count = 0;
        CsvRecord? last = null;
        await foreach (var row in reader.ReadRowsAsync())
        {
            count++;
            last = row;
        }
        await writing;

        Assert.Equal(rows, count);
        Assert.Equal(rows + 1, last!.RowNumber);
        Assert.Equal($"ann{rows - 1}@example.com", last[2]);
    }

    private static byte[] Bytes(Encoding encoding, string text, bool preamble) =>
        preamble ? [.. encoding.GetPreamble(), .. encoding.GetBytes(text)] : encoding.GetBytes(text);

    private static async Task<(CsvFormat Format, IReadOnlyList<string> Headers, List<CsvRecord> Rows)> ReadAsync(byte[] file)
    {
        await using var reader = await LeadCsvReader.OpenAsync(new MemoryStream(file));
        var rows = new List<CsvRecord>();
        await foreach (var row in reader.ReadRowsAsync()) rows.Add(row);
        return (reader.Format, reader.Headers, rows);
    }
}
