using System.Collections.Immutable;
using Flexoraa.Channels;
using Flexoraa.Realtime;
using Npgsql;

namespace Flexoraa.Conversations;

/// <summary>
/// A message's state after a reaction, edit or deletion changed it, as the apply functions of migration 0023 answer it.
/// <see cref="Preview"/> is its conversation's new preview when the change moved it (an edit or deletion of the last
/// message, migration 0026's <c>follow_last_message_preview</c>, in the same statement), else null.
/// </summary>
public sealed record ChangedMessage(
    string ExternalId, string? Body, ImmutableArray<MessageReaction> Reactions, DateTimeOffset? EditedAt, DateTimeOffset? DeletedAt, string? Preview = null)
{
    /// <summary>
    /// Reads the function's one row (columns message_id, external_id, body, attachments, reactions, edited_at,
    /// edit_history, deleted_at, changed, then the conversation's new preview): null when there is none (the change waits for its message) and
    /// <paramref name="changed"/> false when the change moved nothing.
    /// </summary>
    public static async Task<(ChangedMessage? Message, bool Changed)> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken)) return (null, false);
        var message = new ChangedMessage(
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            MessageReaction.ListOf(reader.GetString(4)),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
            reader.IsDBNull(9) ? null : reader.GetString(9));
        return (message, reader.GetBoolean(8));
    }

    /// <summary>The hub's event; a deleted message's text is hidden there as in the REST API.</summary>
    public MessageChanged ToUpdate(string tenantId, string conversationId, DateTimeOffset occurredAt) => new(
        tenantId, conversationId, occurredAt, ExternalId, Reactions, DeletedAt is null ? Body : null, EditedAt is not null, EditedAt, DeletedAt is not null, DeletedAt);

    /// <summary>
    /// The conversation's list entry after the change, when it moved: only the preview changed (the last message's time
    /// stays, as the message does), so the other fields are null, which says "unchanged".
    /// </summary>
    public ConversationUpdated? PreviewUpdate(string tenantId, string conversationId, DateTimeOffset occurredAt) =>
        Preview is null ? null : new(tenantId, conversationId, occurredAt, null, Preview, null, null, null);

    /// <summary>
    /// The function's select list, in the order <see cref="ReadAsync"/> reads it; the statement binds <c>@tenant</c>. A
    /// change that moved the message also moves the conversation's preview when that message is the last one.
    /// </summary>
    public const string Columns = "message_id, external_id, body, attachments::text, reactions::text, edited_at, edit_history::text, deleted_at, changed, " +
        "CASE WHEN changed THEN follow_last_message_preview(@tenant, message_id) END AS preview";
}
