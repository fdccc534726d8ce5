namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// One message matching a search. <see cref="Snippet"/> is the body HTML-escaped, shortened around the matches, with
/// each match wrapped in <c>&lt;mark&gt;…&lt;/mark&gt;</c>, so a client may render it as HTML.
/// </summary>
public sealed record MessageSearchHit(string ConversationId, MessageView Message, string Snippet, float Rank);
