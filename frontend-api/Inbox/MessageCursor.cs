namespace Flexoraa.FrontendApi.Inbox;

/// <summary>Where a page of a conversation's messages ends, newest first: occurred-at, then id for messages of one instant.</summary>
public sealed record MessageCursor(DateTimeOffset OccurredAt, long Id);
