using System.Collections.Immutable;

namespace Flexoraa.Leads.Import;

/// <summary>
/// One row of an upload, validated and normalised: the phone in E.164, the e-mail lower-cased, tags split and
/// de-duplicated, a whole-name column split when no first/last name columns were mapped. <see cref="Stage"/> and
/// <see cref="Owner"/> are still the file's words; the import resolves them against the tenant's pipeline and team.
/// </summary>
public sealed record ImportedLead(
    int RowNumber,
    string? FirstName,
    string? LastName,
    string? Email,
    string? PhoneE164,
    string? Company,
    string? Title,
    string? Source,
    string? Stage,
    ImmutableArray<string> Tags,
    string? Owner,
    string? City,
    string? Country,
    string? Website,
    string? Notes,
    ImmutableDictionary<string, string> CustomFields)
{
    public string? DisplayName => (FirstName, LastName) switch
    {
        (null, null) => null,
        (null, var last) => last,
        (var first, null) => first,
        var (first, last) => $"{first} {last}",
    };
}
