using System.Collections.Immutable;
using Flexoraa.Channels;
using Flexoraa.Realtime;
using Npgsql;

namespace Flexoraa.Conversations;

/// <summary>A message's state after a reaction, edit or deletion changed it, as the apply functions of migration 0023 answer it.</summary>
public sealed record ChangedMessage(string ExternalId, string? Body, ImmutableArray<MessageReaction> Reactions, DateTimeOffset? EditedAt, DateTimeOffset? DeletedAt)
{
    /// <summary>
    /// Reads the function's one row (columns message_id, external_id, body, attachments, reactions, edited_at,
    /// edit_history, deleted_at, changed): null when there is none (the change waits for its message) and
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
            reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7));
        return (message, reader.GetBoolean(8));
    }

    /// <summary>The hub's event; a deleted message's text is hidden there as in the REST API.</summary>
    public MessageChanged ToUpdate(string tenantId, string conversationId, DateTimeOffset occurredAt) => new(
        tenantId, conversationId, occurredAt, ExternalId, Reactions, DeletedAt is null ? Body : null, EditedAt is not null, EditedAt, DeletedAt is not null, DeletedAt);

    /// <summary>The function's select list, in the order <see cref="ReadAsync"/> reads it.</summary>
    public const string Columns = "message_id, external_id, body, attachments::text, reactions::text, edited_at, edit_history::text, deleted_at, changed";
}
