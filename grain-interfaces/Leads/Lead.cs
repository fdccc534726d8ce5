using System.Collections.Immutable;
using Flexoraa.Channels;

namespace Flexoraa.Leads;

/// <summary>
/// A lead as of <see cref="Version"/> (its ETag): what <c>GET /api/v1/leads/{id}</c> returns and what a
/// <c>LeadChanged</c> update carries, so the REST API and the hub spell a lead the same way.
/// <see cref="Channel"/> and <see cref="ChannelContactId"/> are the contact the lead came from, when a conversation made it.
/// <see cref="Score"/> is its score in short (the breakdown is at <c>/score</c>); null until it is first scored.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Lead")]
public sealed record Lead(
    [property: Id(0)] string Id,
    [property: Id(1)] string? DisplayName,
    [property: Id(2)] string? FirstName,
    [property: Id(3)] string? LastName,
    [property: Id(4)] string? Company,
    [property: Id(5)] string? Title,
    [property: Id(6)] string? Email,
    [property: Id(7)] string? Phone,
    [property: Id(8)] string Source,
    [property: Id(9)] ImmutableArray<string> Tags,
    [property: Id(10)] string? OwnerUserId,
    [property: Id(11)] string? PipelineId,
    [property: Id(12)] string? StageId,
    [property: Id(13)] ImmutableDictionary<string, string> CustomFields,
    [property: Id(14)] ImmutableDictionary<string, LeadConsentStatus> Consent,
    [property: Id(15)] long? WonValue,
    [property: Id(16)] string? WonCurrency,
    [property: Id(17)] string? LostReason,
    [property: Id(18)] ChannelKind? Channel,
    [property: Id(19)] string? ChannelContactId,
    [property: Id(20)] DateTimeOffset CreatedAt,
    [property: Id(21)] DateTimeOffset UpdatedAt,
    [property: Id(22)] long Version,
    [property: Id(23)] Scoring.LeadScore? Score = null);
