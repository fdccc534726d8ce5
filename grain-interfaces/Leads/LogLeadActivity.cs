namespace Flexoraa.Leads;

/// <summary>A note, call or meeting to log on the lead's timeline; <see cref="OccurredAt"/> defaults to now.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.LogLeadActivity")]
public sealed record LogLeadActivity(
    [property: Id(0)] LeadActivityKind Kind,
    [property: Id(1)] string? Body,
    [property: Id(2)] DateTimeOffset? OccurredAt = null,
    [property: Id(3)] int? DurationSeconds = null,
    [property: Id(4)] string? Outcome = null);
