namespace Flexoraa.Leads.Import;

/// <summary>
/// CSV injection: a cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return is read
/// by Excel, LibreOffice and Google Sheets as a formula (<c>=HYPERLINK(...)</c>, <c>=cmd|' /C calc'!A0</c>). Imported
/// cells are stored as the text they are; every CSV Flexoraa writes passes its cells through <see cref="Neutralise"/>,
/// which prefixes such a cell with an apostrophe so the spreadsheet shows it as text (OWASP's advice). That includes
/// E.164 phone numbers ("+14155550100" is written "'+14155550100"), which spreadsheets would otherwise turn into numbers.
/// </summary>
public static class SpreadsheetText
{
    public static bool IsFormulaLike(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    public static string Neutralise(string? cell) => cell is null ? "" : IsFormulaLike(cell) ? "'" + cell : cell;
}
