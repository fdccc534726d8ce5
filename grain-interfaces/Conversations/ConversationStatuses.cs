namespace Flexoraa.Conversations;

/// <summary>The wire and column names of <see cref="ConversationStatus"/>.</summary>
public static class ConversationStatuses
{
    public static string Name(ConversationStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out ConversationStatus status)
    {
        status = default;
        // Enum.TryParse would also take numbers and "Open, Snoozed" flag syntax; only the four names are valid.
        return value is "open" or "pending" or "resolved" or "snoozed" && Enum.TryParse(value, ignoreCase: true, out status);
    }
}
