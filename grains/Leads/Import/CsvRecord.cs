namespace Flexoraa.Leads.Import;

/// <summary>
/// One data row of an uploaded file. <see cref="RowNumber"/> is the row as a spreadsheet numbers it (the header is
/// row 1), so an error report points at the row a user sees when they open the file; a quoted field with line breaks
/// still makes one row.
/// </summary>
public sealed record CsvRecord(int RowNumber, IReadOnlyList<string> Cells)
{
    /// <summary>The cell under column <paramref name="index"/>, or empty when the row is shorter than the header.</summary>
    public string this[int index] => index < Cells.Count ? Cells[index] : "";
}
