namespace Flexoraa.Leads;

/// <summary>What a conversation tells its lead about (see <see cref="ConversationEngagement"/>).</summary>
public enum ConversationEngagementKind
{
    /// <summary>The customer wrote; the lead's timeline shows the message.</summary>
    InboundMessage,

    /// <summary>The business wrote (a reply through Flexoraa, or an echo of one sent elsewhere); the timeline shows it.</summary>
    OutboundMessage,

    /// <summary>The first outbound message after the customer's last one came within the tenant's fast-reply window.</summary>
    FastReply,

    /// <summary>The conversation's status became resolved.</summary>
    ConversationResolved,
}
