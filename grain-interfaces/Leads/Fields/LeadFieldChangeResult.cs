namespace Flexoraa.Leads.Fields;

public enum LeadFieldChangeOutcome
{
    Changed,
    NotFound,
    /// <summary><see cref="LeadFieldChangeResult.Field"/> names the request field that is wrong.</summary>
    Invalid,
    /// <summary>The key is taken, the tenant has as many fields as it may, or the change would strand values.</summary>
    Conflict,
}

[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Fields.LeadFieldChangeResult")]
public sealed record LeadFieldChangeResult(
    [property: Id(0)] LeadFieldChangeOutcome Outcome,
    [property: Id(1)] LeadFieldDefinition? Definition = null,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null)
{
    public static LeadFieldChangeResult Changed(LeadFieldDefinition? definition) => new(LeadFieldChangeOutcome.Changed, definition);
    public static LeadFieldChangeResult Invalid(string field, string error) => new(LeadFieldChangeOutcome.Invalid, Field: field, Error: error);
    public static LeadFieldChangeResult Conflict(string error) => new(LeadFieldChangeOutcome.Conflict, Error: error);
    public static LeadFieldChangeResult NotFound { get; } = new(LeadFieldChangeOutcome.NotFound);
}
