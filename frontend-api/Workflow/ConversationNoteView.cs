namespace Flexoraa.FrontendApi.Workflow;

/// <summary>A private note as the API returns it.</summary>
public sealed record ConversationNoteView(long Id, string ConversationId, string Body, string AuthorId, DateTimeOffset CreatedAt);
