using Flexoraa.Channels;

namespace Flexoraa.Conversations;

/// <summary>
/// Meta's messaging windows, as a rule of their own so they can be read and tested apart from the grain.
/// WhatsApp: free-form only within 24 h of the customer's last message, templates any time. Messenger / Instagram:
/// a normal response within 24 h; a person (not an API key) may answer up to 7 days with the HUMAN_AGENT tag.
/// </summary>
public static class ReplyWindow
{
    /// <summary>Meta's customer-service window: free-form replies are allowed this long after the customer's last message.</summary>
    public static readonly TimeSpan ServiceWindow = TimeSpan.FromHours(24);

    /// <summary>Messenger and Instagram: a human agent may answer this long after the customer's last message (HUMAN_AGENT tag).</summary>
    public static readonly TimeSpan HumanAgentWindow = TimeSpan.FromDays(7);

    public const string HumanAgentTag = "HUMAN_AGENT";

    /// <summary>What the windows allow: open (with the messaging tag to send, if any), or closed since when and why.</summary>
    public sealed record Decision(bool Open, string? Tag, DateTimeOffset? ClosedAt, string? Error)
    {
        public static Decision Allowed(string? tag = null) => new(true, tag, null, null);

        public static Decision Closed(DateTimeOffset? closedAt, string error) => new(false, null, closedAt, error);
    }

    public static Decision Check(ChannelKind channel, bool template, bool isHuman, DateTimeOffset? lastInboundAt, DateTimeOffset now)
    {
        if (channel == ChannelKind.WhatsApp)
        {
            if (template) return Decision.Allowed();
            if (lastInboundAt is { } last && now - last < ServiceWindow) return Decision.Allowed();
            return Decision.Closed(lastInboundAt + ServiceWindow, lastInboundAt is null
                ? "The customer has not written to this number yet, so WhatsApp only accepts an approved template."
                : "WhatsApp's 24-hour customer-service window is closed: more than 24 hours have passed since the customer's last message. Send an approved template instead.");
        }
        if (lastInboundAt is not { } at) return Decision.Closed(null, "The customer has never written on this channel, and Meta only allows replies to people who have.");
        var age = now - at;
        if (age < ServiceWindow) return Decision.Allowed();
        if (age < HumanAgentWindow && isHuman) return Decision.Allowed(HumanAgentTag);
        return isHuman
            ? Decision.Closed(at + HumanAgentWindow, "More than 7 days have passed since the customer's last message, so Meta allows no reply until they write again.")
            : Decision.Closed(at + ServiceWindow, "The 24-hour window is closed. Between 24 hours and 7 days only a human agent may reply (Meta's HUMAN_AGENT tag); an API key may not.");
    }
}
