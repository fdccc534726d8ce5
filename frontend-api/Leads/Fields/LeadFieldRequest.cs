using Flexoraa.Leads.Fields;

namespace Flexoraa.FrontendApi.Leads.Fields;

/// <summary>
/// The body of <c>POST</c> and <c>PATCH /api/v1/lead-fields</c>: a key (letters, digits, '_' or '-'), a label, a type
/// (text, number, date, boolean, singleSelect) and, for a single-select field, its options. A PATCH changes the label,
/// options or position; the key and type stay.
/// </summary>
public sealed record LeadFieldRequest(string? Key, string? Label, LeadFieldType? Type, string[]? Options, int? Position)
{
    public LeadFieldDraft ToDraft() => new(Key, Label, Type, Options is null ? null : [.. Options.Select(o => o ?? "")], Position);
}
