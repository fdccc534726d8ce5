namespace Flexoraa.Leads.Import;

/// <summary>Limits and batch size of lead imports (<c>Flexoraa:LeadImports</c>).</summary>
public sealed class LeadImportSettings
{
    public const string Section = "Flexoraa:LeadImports";

    /// <summary>The largest upload accepted; a bigger one is answered 413 with this figure.</summary>
    public long MaxFileBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>The most data rows one file may have; a longer one is answered 413 with this figure.</summary>
    public int MaxRows { get; set; } = 1_000_000;

    /// <summary>Rows per committed batch: big enough that a batch's fixed cost (a transaction, a COPY, a few statements) vanishes per row.</summary>
    public int BatchRows { get; set; } = 5_000;
}
