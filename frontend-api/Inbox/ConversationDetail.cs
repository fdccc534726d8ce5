using Flexoraa.FrontendApi.Platform;

namespace Flexoraa.FrontendApi.Inbox;

/// <summary><c>GET /api/v1/conversations/{id}</c>: the summary and one page of its messages, newest first.</summary>
public sealed record ConversationDetail(ConversationSummaryView Conversation, CursorPage<MessageView> Messages);
