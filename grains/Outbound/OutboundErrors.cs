namespace Flexoraa.Outbound;

/// <summary>
/// Failure codes of our own for replies, negative so they never collide with Meta's; stored and shown like Meta's codes.
/// </summary>
public static class OutboundErrors
{
    /// <summary>An attempt was in flight when its silo stopped or the call's outcome was lost; it is never resent.</summary>
    public const int Interrupted = -1;
    public const string InterruptedTitle = "Interrupted; may or may not have been delivered";

    /// <summary>Meta kept refusing for reasons that heal by waiting (rate limits) until <see cref="OutboundSettings.GiveUpAfter"/>.</summary>
    public const int GaveUp = -2;
    public const string GaveUpTitle = "Gave up retrying";

    /// <summary>The channel account was disconnected, or its access token cannot be decrypted.</summary>
    public const int AccountUnavailable = -3;
    public const string AccountUnavailableTitle = "Channel account unavailable";

    /// <summary>
    /// One line for a refusal in Meta's own shape, <c>(#code) title: details</c>, leaving out whatever part is unknown
    /// (a connection that failed has no code or title) and a message that only repeats the title, so no stray
    /// separators or doubled text reach the user.
    /// </summary>
    public static string Describe(int? code, string? title, string? message)
    {
        title = Clean(title);
        message = Clean(message);
        if (message is not null && title is not null && string.Equals(message, title, StringComparison.Ordinal)) message = null;
        var head = (code, title) switch
        {
            ({ } c, { } t) => $"(#{c}) {t}",
            ({ } c, null) => $"(#{c})",
            (null, { } t) => t,
            _ => null,
        };
        return (head, message) switch
        {
            ({ } h, { } m) => $"{h}: {m}",
            ({ } h, null) => h,
            (null, { } m) => m,
            _ => "Unknown error",
        };
    }

    private static string? Clean(string? text)
    {
        var trimmed = text?.Trim().TrimEnd(':', ';', ',', ' ');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
