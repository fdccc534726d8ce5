using System.Text.Json;
using Flexoraa.Api;

namespace Flexoraa.Leads.Bulk;

/// <summary>A <c>lead_bulk_actions</c> row; mapped by property, as Dapper needs.</summary>
public sealed class LeadBulkActionRecord
{
    public string Id { get; init; } = "";
    public string? CreatedByUserId { get; init; }
    public string? ApiKeyId { get; init; }
    public string? OwnWorkOf { get; init; }
    public string Action { get; init; } = "";
    public string Parameters { get; init; } = "{}";
    public string Status { get; init; } = "queued";
    public int Total { get; init; }
    public int Processed { get; init; }
    public int Changed { get; init; }
    public int Skipped { get; init; }
    public int CommittedThrough { get; init; }
    public bool CancelRequested { get; init; }
    public string? BlobKey { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public LeadBulkActionKind Kind => ApiJson.Parse<LeadBulkActionKind>(Action);

    public LeadBulkParameters ToParameters() => JsonSerializer.Deserialize<LeadBulkParameters>(Parameters, ApiJson.Options) ?? new LeadBulkParameters();

    public LeadBulkActionStatus ToStatus() => new(Id, Kind, ApiJson.Parse<LeadBulkActionState>(Status), Total, Processed, Changed, Skipped,
        CancelRequested, BlobKey is not null, Error, CreatedByUserId, CreatedAt, StartedAt, FinishedAt);

    public static string ParametersJson(LeadBulkParameters parameters) => JsonSerializer.Serialize(parameters, ApiJson.Options);
}
