using System.Text;
using Flexoraa.Leads.Import;

namespace Flexoraa.Tests.Leads.Import;

/// <summary>The error report a user downloads opens in a spreadsheet with the right characters and runs no formula.</summary>
public sealed class ImportErrorReportTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")")]
    [InlineData("+14155550100")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tcmd")]
    [InlineData("\rcmd")]
    public void A_formula_like_cell_is_written_as_text(string cell)
    {
        Assert.True(SpreadsheetText.IsFormulaLike(cell));
        Assert.Equal("'" + cell, SpreadsheetText.Neutralise(cell));
    }

    [Theory]
    [InlineData("Ann")]
    [InlineData("")]
    [InlineData("ann@example.com")]
    public void Plain_text_is_written_as_it_is(string cell) => Assert.Equal(cell, SpreadsheetText.Neutralise(cell));

    [Fact]
    public async Task The_report_lists_row_column_value_and_problem_with_every_cell_neutralised_and_reads_back_as_CSV()
    {
        var problems = new[]
        {
            new ImportProblem(2, "Email", "=1+1", "not an e-mail address"),
            new ImportProblem(5, "Mobile Phone", "12, 34", "not a phone number for region IN"),
            new ImportProblem(9, null, null, "duplicate of row 4 (same phone)"),
        };
        using var destination = new MemoryStream();

        await ImportErrorReport.WriteAsync(destination, problems.ToAsyncEnumerable());

        var bytes = destination.ToArray();
        Assert.Equal(new UTF8Encoding(true).GetPreamble(), bytes[..3]);
        await using var reader = await LeadCsvReader.OpenAsync(new MemoryStream(bytes));
        Assert.Equal(ImportErrorReport.Header, reader.Headers);
        var rows = new List<CsvRecord>();
        await foreach (var row in reader.ReadRowsAsync()) rows.Add(row);
        Assert.Equal(["2", "Email", "'=1+1", "not an e-mail address"], rows[0].Cells);
        Assert.Equal(["5", "Mobile Phone", "12, 34", "not a phone number for region IN"], rows[1].Cells);
        Assert.Equal(["9", "", "", "duplicate of row 4 (same phone)"], rows[2].Cells);
    }

    [Fact]
    public async Task An_import_without_problems_still_gets_a_report_with_its_header()
    {
        using var destination = new MemoryStream();

        await ImportErrorReport.WriteAsync(destination, AsyncEnumerable.Empty<ImportProblem>());

        Assert.Equal("row,column,value,problem", Encoding.UTF8.GetString(destination.ToArray()).TrimStart('\uFEFF').Trim());
    }
}
