namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// One conversation as the inbox list shows it. <see cref="PreviousConversationId"/> is the conversation this one continues
/// (the customer's old number's after they changed number, or their conversation from before their number was known);
/// <see cref="ContinuedInConversationId"/> the one that continues this one.
/// </summary>
public sealed record ConversationSummaryView(
    string Id,
    string Channel,
    string ChannelAccountId,
    ConversationContact Contact,
    string? LeadId,
    string Status,
    string? AssigneeUserId,
    IReadOnlyList<string> Tags,
    int UnreadCount,
    DateTimeOffset? LastMessageAt,
    string? LastMessagePreview,
    DateTimeOffset? LastInboundAt,
    ServiceWindow Window,
    string? PreviousConversationId = null,
    string? ContinuedInConversationId = null);
