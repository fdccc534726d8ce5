namespace Flexoraa.Leads;

public enum PipelineChangeOutcome
{
    Changed,
    NotFound,
    Invalid,
    /// <summary>Leads are in a stage the change removes, or it would delete the tenant's last pipeline.</summary>
    Conflict,
}

[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.PipelineChangeResult")]
public sealed record PipelineChangeResult(
    [property: Id(0)] PipelineChangeOutcome Outcome,
    [property: Id(1)] Pipeline? Pipeline = null,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null)
{
    public static PipelineChangeResult Invalid(string field, string error) => new(PipelineChangeOutcome.Invalid, Field: field, Error: error);
    public static PipelineChangeResult Conflict(string error) => new(PipelineChangeOutcome.Conflict, Error: error);
    public static PipelineChangeResult NotFound { get; } = new(PipelineChangeOutcome.NotFound);
}
