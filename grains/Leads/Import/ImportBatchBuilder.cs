namespace Flexoraa.Leads.Import;

/// <summary>The rows and problems gathered for the next batch, and how far into the file it reaches.</summary>
internal sealed class ImportBatchBuilder(int capacity)
{
    private readonly List<ImportRow> _rows = new(capacity);
    private readonly List<ImportProblem> _problems = [];

    public IReadOnlyList<ImportRow> Rows => _rows;
    public IReadOnlyList<ImportProblem> Problems => _problems;
    public int FailedRows { get; private set; }
    public int SkippedRows { get; private set; }
    public int RowsRead { get; private set; }

    /// <summary>The spreadsheet row number of the last row decided in this batch; the import has committed through it once the batch is.</summary>
    public int ThroughRow { get; private set; }

    public bool IsFull => RowsRead >= capacity;
    public bool IsEmpty => RowsRead == 0;

    public void Add(ImportRow row)
    {
        _rows.Add(row);
        Read(row.Lead.RowNumber);
    }

    public void Fail(int rowNumber, IEnumerable<ImportProblem> problems)
    {
        _problems.AddRange(problems);
        FailedRows++;
        Read(rowNumber);
    }

    public void Skip(int rowNumber, ImportProblem why)
    {
        _problems.Add(why);
        SkippedRows++;
        Read(rowNumber);
    }

    public void Clear()
    {
        _rows.Clear();
        _problems.Clear();
        (FailedRows, SkippedRows, RowsRead) = (0, 0, 0);
    }

    private void Read(int rowNumber)
    {
        RowsRead++;
        ThroughRow = rowNumber;
    }
}
