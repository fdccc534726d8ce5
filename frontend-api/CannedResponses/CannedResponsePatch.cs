using System.Text.Json;

namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>
/// The body of <c>PATCH /api/v1/canned-responses/{id}</c>, read from raw JSON so an explicit <c>"title": null</c> (clear
/// it) differs from leaving it out. Every field is checked before anything changes.
/// </summary>
public sealed record CannedResponsePatch(string? Shortcut, string? Content, bool SetsTitle, string? Title)
{
    public static bool TryParse(JsonElement body, out CannedResponsePatch patch, out Dictionary<string, string[]> errors)
    {
        errors = [];
        patch = new CannedResponsePatch(null, null, false, null);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["The body must be a JSON object with shortcut, content or title."];
            return false;
        }

        string? shortcut = null;
        if (body.TryGetProperty("shortcut", out var s))
        {
            if (s.ValueKind == JsonValueKind.String) shortcut = CannedResponseFields.Shortcut(s.GetString(), errors);
            else errors["shortcut"] = ["'shortcut' must be a string. " + CannedResponseShortcut.Rule];
        }

        string? content = null;
        if (body.TryGetProperty("content", out var c))
        {
            if (c.ValueKind == JsonValueKind.String) content = CannedResponseFields.Content(c.GetString(), errors);
            else errors["content"] = ["'content' must be a string."];
        }

        var setsTitle = body.TryGetProperty("title", out var t);
        string? title = null;
        if (setsTitle && t.ValueKind == JsonValueKind.String) title = CannedResponseFields.Title(t.GetString(), errors);
        else if (setsTitle && t.ValueKind != JsonValueKind.Null) errors["title"] = ["'title' must be a string, or null to remove it."];

        if (errors.Count == 0 && shortcut is null && content is null && !setsTitle)
        {
            errors["body"] = ["Nothing to change: give shortcut, content or title."];
        }
        patch = new CannedResponsePatch(shortcut, content, setsTitle, title);
        return errors.Count == 0;
    }
}
