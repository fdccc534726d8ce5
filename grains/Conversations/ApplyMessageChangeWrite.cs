using Flexoraa.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Conversations;

/// <summary>
/// Applies a reaction, edit or deletion to the message it targets, or keeps it in <c>pending_message_changes</c> when that
/// message is not stored yet (see <see cref="ApplyPendingChangesWrite"/>). Ordered in the group commit like a status:
/// after the messages before it in the stream, so a change to one of them finds it. Outcome: true when the message
/// changed; then <see cref="Changed"/> holds its new state. <see cref="Pending"/> says the change waits for its message.
/// </summary>
public sealed class ApplyMessageChangeWrite(string tenantId, string conversationId, ChannelKind channel, MessageChange change) : PendingWrite(tenantId)
{
    public ChangedMessage? Changed { get; private set; }

    public bool Pending { get; private set; }

    public MessageChange Change => change;

    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand($"""
            SELECT {ChangedMessage.Columns}
            FROM apply_message_change(@tenant, @channel, @conversation, @target, @event, @kind, @by, @emoji, @body, @at)
            """);
        var p = command.Parameters;
        p.AddWithValue("tenant", NpgsqlDbType.Varchar, TenantId);
        p.AddWithValue("channel", NpgsqlDbType.Varchar, ChannelKindNames.Of(channel));
        p.AddWithValue("conversation", NpgsqlDbType.Varchar, conversationId);
        p.AddWithValue("target", NpgsqlDbType.Varchar, change.TargetMessageId);
        p.AddWithValue("event", NpgsqlDbType.Varchar, change.EventId);
        p.AddWithValue("kind", NpgsqlDbType.Varchar, change.Kind);
        p.AddWithValue("by", NpgsqlDbType.Varchar, change.By);
        p.Add(new NpgsqlParameter("emoji", NpgsqlDbType.Text) { Value = (object?)change.Emoji ?? DBNull.Value });
        p.Add(new NpgsqlParameter("body", NpgsqlDbType.Text) { Value = (object?)change.Body ?? DBNull.Value });
        p.AddWithValue("at", NpgsqlDbType.TimestampTz, change.At);
        return command;
    }

    public override async Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var (message, changed) = await ChangedMessage.ReadAsync(reader, cancellationToken);
        Pending = message is null;
        Changed = changed ? message : null;
        return changed;
    }

    public override string DeadLetterPayload() => System.Text.Json.JsonSerializer.Serialize(new { conversationId, channel, change }, System.Text.Json.JsonSerializerOptions.Web);
}
