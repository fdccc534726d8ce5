using System.Text.Json;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// The Graph API's error body, <c>{"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}</c>.
/// Meta says to act on <see cref="Code"/> (and the details), not on titles or the HTTP status.
/// </summary>
public sealed record GraphApiError(int Code, string? Type, string? Message, int? ErrorSubcode, string? Details, string? FbtraceId, bool IsTransientFlag)
{
    /// <summary>
    /// Rate limits: 130429 (Cloud API throughput), 131056 (business/consumer pair), 4 (app call rate), 80007 (WABA call
    /// rate), 17 (user call rate), 32 (page call rate), 613 (Messenger call rate). All heal by waiting.
    /// </summary>
    public bool IsRateLimit => Code is 4 or 17 or 32 or 613 or 80007 or 130429 or 131056;

    /// <summary>Worth retrying: a rate limit, "unknown error" (1), "service temporarily unavailable" (2), number maintenance (131057), or Meta's own is_transient.</summary>
    public bool IsTransient => IsRateLimit || Code is 1 or 2 or 131057 || IsTransientFlag;

    public override string ToString() =>
        $"Graph API error {Code}{(Type is null ? "" : $" ({Type})")}: {Message}{(Details is null ? "" : $" — {Details}")}{(FbtraceId is null ? "" : $" [fbtrace_id {FbtraceId}]")}";

    /// <summary>The error in a Graph error body; null for anything else (an HTML error page, an empty body).</summary>
    public static GraphApiError? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object
                || Int(error, "code") is not { } code)
            {
                return null;
            }
            var details = error.TryGetProperty("error_data", out var data) && data.ValueKind == JsonValueKind.Object ? String(data, "details") : null;
            var transient = error.TryGetProperty("is_transient", out var flag) && flag.ValueKind == JsonValueKind.True;
            return new GraphApiError(code, String(error, "type"), String(error, "message"), Int(error, "error_subcode"), details, String(error, "fbtrace_id"), transient);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Graph sends numbers, but a proxy or an older API version may quote them.
    private static int? Int(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;
}
