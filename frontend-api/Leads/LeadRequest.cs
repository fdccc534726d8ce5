using System.Collections.Immutable;
using Flexoraa.Leads;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// The body of <c>POST /api/v1/leads</c> and <c>PATCH /api/v1/leads/{id}</c>, for the API reference: the handlers read
/// the raw JSON (<see cref="LeadInput"/>) because an explicit <c>null</c> (clear the field) must differ from leaving a
/// field out. <c>phone</c> is read in the tenant's default region when it has no +country code and stored in E.164;
/// <c>email</c> is stored lower-cased. <c>customFields</c> and <c>consent</c> merge: a key set to null is removed.
/// Moving to a won stage needs <c>wonValue</c> (smallest currency unit; <c>wonCurrency</c> defaults to the tenant's),
/// to a lost stage <c>lostReason</c>.
/// </summary>
public sealed record LeadRequest(
    string? FirstName,
    string? LastName,
    string? DisplayName,
    string? Company,
    string? Title,
    string? Email,
    string? Phone,
    string? Source,
    ImmutableArray<string>? Tags,
    string? OwnerUserId,
    string? PipelineId,
    string? StageId,
    Dictionary<string, string?>? CustomFields,
    Dictionary<string, LeadConsentStatus?>? Consent,
    long? WonValue,
    string? WonCurrency,
    string? LostReason);
