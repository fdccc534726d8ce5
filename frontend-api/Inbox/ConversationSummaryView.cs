namespace Flexoraa.FrontendApi.Inbox;

/// <summary>One conversation as the inbox list shows it.</summary>
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
    ServiceWindow Window);
