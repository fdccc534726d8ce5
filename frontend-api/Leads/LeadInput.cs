using System.Collections.Immutable;
using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.Leads;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// Reads a <see cref="LeadRequest"/> body into <see cref="LeadChanges"/>: the JSON shape of every field (a string, an
/// array of strings, an object, an integer) and that no unknown field is sent, so a typo is a 400 rather than a silent
/// no-op. What a value means (a valid phone, an email, a stage of the pipeline) is <c>LeadGrain</c>'s to check.
/// </summary>
public static class LeadInput
{
    private static readonly string[] TextFields = ["firstName", "lastName", "displayName", "company", "title", "email", "phone", "source", "ownerUserId", "pipelineId", "stageId", "wonCurrency", "lostReason"];
    private static readonly string[] KnownFields = [.. TextFields, "tags", "customFields", "consent", "wonValue"];

    public static bool TryParse(JsonElement body, out LeadChanges changes, out Dictionary<string, string[]> errors)
    {
        errors = [];
        changes = new LeadChanges();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["The body must be a JSON object of lead fields."];
            return false;
        }
        var text = new Dictionary<string, string>();
        var cleared = ImmutableArray.CreateBuilder<string>();
        ImmutableArray<string>? tags = null;
        ImmutableDictionary<string, string?>? custom = null;
        ImmutableDictionary<string, LeadConsentStatus?>? consent = null;
        long? wonValue = null;

        foreach (var property in body.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            if (!KnownFields.Contains(name))
            {
                errors[name] = [$"'{name}' is not a lead field; the fields are {string.Join(", ", KnownFields)}."];
                continue;
            }
            if (value.ValueKind == JsonValueKind.Null)
            {
                cleared.Add(name);
                continue;
            }
            switch (name)
            {
                case "tags":
                    if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String)) tags = [.. value.EnumerateArray().Select(t => t.GetString()!)];
                    else errors[name] = ["'tags' must be an array of strings."];
                    break;
                case "customFields":
                    if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(f => f.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null))
                    {
                        custom = value.EnumerateObject().ToImmutableDictionary(f => f.Name, f => f.Value.ValueKind == JsonValueKind.Null ? null : f.Value.GetString());
                    }
                    else errors[name] = ["'customFields' must be an object of text values (null removes a field)."];
                    break;
                case "consent":
                    var entries = ImmutableDictionary.CreateBuilder<string, LeadConsentStatus?>();
                    if (value.ValueKind != JsonValueKind.Object) errors[name] = ["'consent' must be an object: channel to 'granted', 'optedOut' or null."];
                    else
                    {
                        foreach (var entry in value.EnumerateObject())
                        {
                            if (entry.Value.ValueKind == JsonValueKind.Null) entries[entry.Name] = null;
                            else if (entry.Value.ValueKind == JsonValueKind.String && ConsentOf(entry.Value.GetString()) is { } status) entries[entry.Name] = status;
                            else errors[$"consent.{entry.Name}"] = ["Consent is 'granted', 'optedOut' or null."];
                        }
                    }
                    consent = entries.ToImmutable();
                    break;
                case "wonValue":
                    if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var amount)) wonValue = amount;
                    else errors[name] = ["'wonValue' must be a whole number: the amount in the smallest currency unit (paise)."];
                    break;
                default:
                    if (value.ValueKind == JsonValueKind.String) text[name] = value.GetString()!;
                    else errors[name] = [$"'{name}' must be a string, or null to clear it."];
                    break;
            }
        }
        if (errors.Count > 0) return false;

        string? Text(string field) => text.GetValueOrDefault(field);
        changes = new LeadChanges(
            Text("firstName"), Text("lastName"), Text("displayName"), Text("company"), Text("title"), Text("email"), Text("phone"), Text("source"),
            tags, Text("ownerUserId"), Text("pipelineId"), Text("stageId"), custom, consent, wonValue, Text("wonCurrency"), Text("lostReason"),
            cleared.ToImmutable());
        return true;
    }

    private static LeadConsentStatus? ConsentOf(string? value) =>
        Enum.GetValues<LeadConsentStatus>().Cast<LeadConsentStatus?>().FirstOrDefault(s => ApiJson.NameOf(s!.Value) == value);
}
