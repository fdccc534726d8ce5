namespace Flexoraa.Leads;

/// <summary>
/// Who changes a lead, and from where. <see cref="OwnWorkOnly"/> is the SDR rule: only leads they own or nobody owns,
/// and only themselves as owner. <see cref="UserId"/> is null for an API key.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.LeadActor")]
public sealed record LeadActor(
    [property: Id(0)] string? UserId,
    [property: Id(1)] bool OwnWorkOnly,
    [property: Id(2)] string? ApiKeyId = null);
