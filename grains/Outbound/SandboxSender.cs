using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.ReadModels;
using NpgsqlTypes;

namespace Flexoraa.Outbound;

/// <summary>
/// Records a reply in <c>sandbox_sends</c> instead of sending it, and names it <c>sandbox.{guid}</c> the way Meta would
/// name it with a wamid. See <see cref="SandboxPolicy"/> for when it is used.
/// </summary>
public sealed class SandboxSender(TenantDatabase database)
{
    public const string IdPrefix = "sandbox.";

    public async Task<string> SendAsync(OutboundMessageRecord message, CancellationToken cancellationToken)
    {
        var id = IdPrefix + Guid.NewGuid().ToString("N");
        var request = new JsonObject
        {
            ["kind"] = message.Kind.ToString().ToLowerInvariant(),
            ["messagingTag"] = message.MessagingTag,
            ["payload"] = message.Payload.DeepClone(),
        };
        await using var session = await database.BeginAsync(message.TenantId, cancellationToken);
        await using var insert = session.Command("""
            INSERT INTO sandbox_sends (tenant_id, message_id, channel, channel_account_id, recipient, external_id, request)
            VALUES (@tenant, @message, @channel, @account, @recipient, @external, @request)
            """);
        insert.Parameters.AddWithValue("tenant", message.TenantId);
        insert.Parameters.AddWithValue("message", message.MessageId);
        insert.Parameters.AddWithValue("channel", ChannelKindNames.Of(message.Channel));
        insert.Parameters.AddWithValue("account", message.ChannelAccountId);
        insert.Parameters.AddWithValue("recipient", message.ContactId);
        insert.Parameters.AddWithValue("external", id);
        insert.Parameters.Add(new Npgsql.NpgsqlParameter("request", NpgsqlDbType.Jsonb) { Value = request.ToJsonString() });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await session.CommitAsync(cancellationToken);
        return id;
    }
}
