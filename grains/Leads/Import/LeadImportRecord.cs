using System.Text.Json;
using Flexoraa.Api;

namespace Flexoraa.Leads.Import;

/// <summary>A <c>lead_imports</c> row, mapped by column name.</summary>
public sealed class LeadImportRecord
{
    public string Id { get; init; } = "";
    public string? CreatedByUserId { get; init; }
    public string? FileName { get; init; }
    public string BlobKey { get; init; } = "";
    public long FileBytes { get; init; }
    public string Encoding { get; init; } = "";
    public string Delimiter { get; init; } = "";
    public string Headers { get; init; } = "[]";
    public string Mapping { get; init; } = "[]";
    public string DuplicatePolicy { get; init; } = "";
    public string? DefaultRegion { get; init; }
    public string Status { get; init; } = "";
    public int TotalRows { get; init; }
    public int RowsRead { get; init; }
    public int CreatedCount { get; init; }
    public int UpdatedCount { get; init; }
    public int SkippedCount { get; init; }
    public int FailedCount { get; init; }
    public int CommittedThroughRow { get; init; }
    public bool CancelRequested { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public LeadImportState State => ApiJson.Parse<LeadImportState>(Status);

    public DuplicatePolicy Duplicates => ApiJson.Parse<DuplicatePolicy>(DuplicatePolicy);

    public ColumnMapping ColumnMapping => new(JsonSerializer.Deserialize<List<MappedColumn>>(Mapping, ApiJson.Options) ?? []);

    public LeadImportStatus ToStatus() => new(
        Id, State, FileName, Encoding, Delimiter, Duplicates, TotalRows, RowsRead, CreatedCount, UpdatedCount, SkippedCount, FailedCount,
        CancelRequested, Error, CreatedAt, StartedAt, FinishedAt);
}
