namespace Flexoraa.Conversations;

/// <summary>One audit entry of a conversation change: what happened and its before and after. Who and from where come from the change.</summary>
public sealed record ConversationAuditEntry(string Action, IReadOnlyDictionary<string, string?> Details);
