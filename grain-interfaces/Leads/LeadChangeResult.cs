namespace Flexoraa.Leads;

/// <summary>What a lead command did: the lead afterwards when it changed (null after a delete), or why not.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.LeadChangeResult")]
public sealed record LeadChangeResult(
    [property: Id(0)] LeadChangeOutcome Outcome,
    [property: Id(1)] Lead? Lead = null,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null,
    [property: Id(4)] LeadActivity? Activity = null)
{
    public static LeadChangeResult Changed(Lead? lead, LeadActivity? activity = null) => new(LeadChangeOutcome.Changed, lead, Activity: activity);
    public static LeadChangeResult NotFound { get; } = new(LeadChangeOutcome.NotFound);
    public static LeadChangeResult Forbidden(string error) => new(LeadChangeOutcome.Forbidden, Error: error);
    public static LeadChangeResult Invalid(string field, string error) => new(LeadChangeOutcome.Invalid, Field: field, Error: error);
    public static LeadChangeResult VersionMismatch(Lead current) => new(LeadChangeOutcome.VersionMismatch, current, Error: $"The lead is at version {current.Version}; read it again and retry.");
    public static LeadChangeResult Conflict(string field, string error) => new(LeadChangeOutcome.Conflict, Field: field, Error: error);
}
