namespace Flexoraa.Leads;

/// <summary>What a conversation counts as engagement of its lead: the <c>Flexoraa:ConversationEngagement</c> section.</summary>
public sealed record LeadEngagementSettings
{
    public const string Section = "Flexoraa:ConversationEngagement";

    /// <summary>
    /// The first outbound message after the customer's last inbound one is a <see cref="ConversationEngagementKind.FastReply"/>
    /// when it comes within this long of it.
    /// </summary>
    public TimeSpan FastReplyWithin { get; init; } = TimeSpan.FromMinutes(5);
}
