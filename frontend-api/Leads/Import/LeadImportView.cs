using Flexoraa.Leads.Import;

namespace Flexoraa.FrontendApi.Leads.Import;

/// <summary>An import as the API shows it: its status and where to fetch its error report.</summary>
public sealed record LeadImportView(LeadImportStatus Import, IReadOnlyList<MappedColumn> Mapping, string ErrorReportUrl)
{
    public static LeadImportView From(LeadImportRecord record) =>
        new(record.ToStatus(), record.ColumnMapping.Columns, $"/api/v1/lead-imports/{record.Id}/errors");
}

/// <summary>What a dry run found: how the file is written, the mapping it would use, and its first rows as they would be imported.</summary>
public sealed record LeadImportPreview(
    string Encoding,
    string Delimiter,
    IReadOnlyList<string> Headers,
    IReadOnlyList<MappedColumn> Mapping,
    IReadOnlyList<LeadImportPreviewRow> Rows);

/// <summary>One previewed row: the lead it would become, or the problems that keep it out.</summary>
public sealed record LeadImportPreviewRow(int RowNumber, IReadOnlyList<string> Cells, ImportedLead? Lead, IReadOnlyList<ImportProblem> Problems);
