namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>The checks on each field, shared by create and update, each adding its error under the field's name.</summary>
public static class CannedResponseFields
{
    public const int MaxContentLength = 4096;
    public const int MaxTitleLength = 120;

    public static string? Shortcut(string? value, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null)
        {
            errors["shortcut"] = ["A shortcut is required. " + CannedResponseShortcut.Rule];
            return null;
        }
        var normalized = CannedResponseShortcut.Normalize(value);
        if (!CannedResponseShortcut.IsValid(normalized))
        {
            errors["shortcut"] = [CannedResponseShortcut.Rule];
            return null;
        }
        return normalized;
    }

    public static string? Content(string? value, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(value))
        {
            errors["content"] = ["The content needs some text."];
            return null;
        }
        if (value.Length > MaxContentLength)
        {
            errors["content"] = [$"The content is at most {MaxContentLength} characters."];
            return null;
        }
        if (!CannedResponseTemplate.TryParse(value, out _, out var error))
        {
            errors["content"] = [error];
            return null;
        }
        return value;
    }

    /// <summary>Blank titles are stored as none.</summary>
    public static string? Title(string? value, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return null;
        if (trimmed.Length > MaxTitleLength) errors["title"] = [$"The title is at most {MaxTitleLength} characters."];
        return trimmed;
    }
}
