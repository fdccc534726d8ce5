using Flexoraa.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Conversations;

/// <summary>
/// Applies the reactions, edits and deletions that arrived before their message, in arrival order, and removes them
/// from <c>pending_message_changes</c>. Carried by the message's <see cref="AppendMessageWrite"/>, so they commit with
/// its insert. Outcome: true when the message changed; then <see cref="Changed"/> holds its new state.
/// </summary>
public sealed class ApplyPendingChangesWrite(string tenantId, ChannelKind channel, string externalMessageId) : PendingWrite(tenantId)
{
    public ChangedMessage? Changed { get; private set; }

    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand($"SELECT {ChangedMessage.Columns} FROM apply_pending_message_changes(@tenant, @channel, @target)");
        command.Parameters.AddWithValue("tenant", NpgsqlDbType.Varchar, TenantId);
        command.Parameters.AddWithValue("channel", NpgsqlDbType.Varchar, ChannelKindNames.Of(channel));
        command.Parameters.AddWithValue("target", NpgsqlDbType.Varchar, externalMessageId);
        return command;
    }

    public override async Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var (message, changed) = await ChangedMessage.ReadAsync(reader, cancellationToken);
        Changed = changed ? message : null;
        return changed;
    }
}
