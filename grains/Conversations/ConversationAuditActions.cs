namespace Flexoraa.Conversations;

/// <summary>
/// The audit actions a conversation writes, as stored in <c>audit_log.action</c>. Defined here because the grain writes
/// them in the transaction of the change; the API's list of audited actions refers to these.
/// </summary>
public static class ConversationAuditActions
{
    public const string TargetType = "conversation";
    public const string StatusChanged = "conversation.status_changed";
    public const string Snoozed = "conversation.snoozed";
    public const string Assigned = "conversation.assigned";
    public const string Unassigned = "conversation.unassigned";
    public const string TagsChanged = "conversation.tags_changed";
    public const string NoteAdded = "conversation.note_added";
}
