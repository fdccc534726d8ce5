using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.ReadModels;

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
            ["kind"] = OutboundKindNames.Of(message.Kind),
            ["messagingTag"] = message.MessagingTag,
            ["payload"] = message.Payload.DeepClone(),
        };
        await using var session = await database.BeginAsync(message.TenantId, cancellationToken);
        await session.ExecuteAsync("""
            INSERT INTO sandbox_sends (tenant_id, message_id, channel, channel_account_id, recipient, external_id, request)
            VALUES (@tenant, @message, @channel, @account, @recipient, @external, @request::jsonb)
            """, new
        {
            message = message.MessageId,
            channel = ChannelKindNames.Of(message.Channel),
            account = message.ChannelAccountId,
            recipient = message.ContactId,
            external = id,
            request = request.ToJsonString(),
        }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return id;
    }
}
