namespace Flexoraa.Leads.Import;

/// <summary>
/// Which lead field each column of a file fills. <see cref="Columns"/> has one entry per header, in file order;
/// <see cref="MappedColumn.Field"/> is null for a column that is ignored.
/// </summary>
public sealed record ColumnMapping(IReadOnlyList<MappedColumn> Columns)
{
    /// <summary>The column index that fills <paramref name="field"/>, or -1.</summary>
    public int IndexOf(string field)
    {
        foreach (var column in Columns)
        {
            if (column.Field == field) return column.Index;
        }
        return -1;
    }

    public bool Maps(string field) => IndexOf(field) >= 0;
}

/// <param name="Automatic">True when <see cref="ColumnMapper"/> chose the field from the header, false when the user did.</param>
public sealed record MappedColumn(int Index, string Header, string? Field, bool Automatic);
