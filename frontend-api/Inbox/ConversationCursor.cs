namespace Flexoraa.FrontendApi.Inbox;

/// <summary>Where a page of the inbox ends, in list order: last activity (null sorts last), then id.</summary>
public sealed record ConversationCursor(DateTimeOffset? LastMessageAt, string Id);
