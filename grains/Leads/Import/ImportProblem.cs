namespace Flexoraa.Leads.Import;

/// <summary>One thing wrong with one cell (or, with no <see cref="Column"/>, the whole row) of an upload.</summary>
public sealed record ImportProblem(int RowNumber, string? Column, string? Value, string Problem);
