using System.Text.Json;
using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.Media;

namespace Flexoraa.Outbound;

/// <summary>
/// Messenger and Instagram Send API: <c>POST /{version}/{page-id}/messages</c> for a Page (Instagram: <c>/me/messages</c>,
/// which is the account the token belongs to) with <c>messaging_type</c> RESPONSE inside the 24-hour window or
/// MESSAGE_TAG + HUMAN_AGENT after it. <c>message.metadata</c> carries our message id, which Meta echoes back, so the
/// conversation knows its own echo even before this call returns. Files go as multipart <c>filedata</c>.
/// </summary>
public sealed class MessengerSender(GraphMessagingClient graph, IMediaBlobStore blobs) : IOutboundSender
{
    public const string MetadataPrefix = "flexoraa:";

    public async Task<string> SendAsync(OutboundMessageRecord message, string externalAccountId, string accessToken, CancellationToken cancellationToken)
    {
        var node = message.Channel == ChannelKind.Instagram ? "me" : externalAccountId;
        var recipient = new JsonObject { ["id"] = message.ContactId };
        var messagingType = message.MessagingTag is null ? "RESPONSE" : "MESSAGE_TAG";
        var metadata = MetadataPrefix + message.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        JsonElement answer;
        if (message.Kind == OutboundKind.Media && OutboundPayload.Media(message.Payload) is { } media)
        {
            var bytes = await OutboundPayload.ReadAsync(blobs, message.TenantId, media, cancellationToken);
            var attachment = new JsonObject
            {
                ["attachment"] = new JsonObject { ["type"] = media.Kind == "document" ? "file" : media.Kind, ["payload"] = new JsonObject { ["is_reusable"] = false } },
                ["metadata"] = metadata,
            };
            var fields = new Dictionary<string, string>
            {
                ["recipient"] = recipient.ToJsonString(),
                ["messaging_type"] = messagingType,
                ["message"] = attachment.ToJsonString(),
            };
            if (message.MessagingTag is { } tag) fields["tag"] = tag;
            answer = await graph.SendMessageWithFileAsync(node, fields, bytes, media.MimeType, media.FileName ?? media.MediaObjectId, accessToken, cancellationToken);
        }
        else
        {
            var body = new JsonObject
            {
                ["recipient"] = recipient,
                ["messaging_type"] = messagingType,
                ["message"] = new JsonObject { ["text"] = OutboundPayload.Text(message.Payload), ["metadata"] = metadata },
            };
            if (message.MessagingTag is { } tag) body["tag"] = tag;
            if (OutboundPayload.ReplyTo(message.Payload) is { } replyTo) body["reply_to"] = new JsonObject { ["mid"] = replyTo };
            answer = await graph.SendMessageAsync(node, body, accessToken, cancellationToken);
        }
        return answer.TryGetProperty("message_id", out var id) && id.GetString() is { Length: > 0 } mid
            ? mid
            : throw new GraphApiException(System.Net.HttpStatusCode.OK, null, null, "The Send API accepted the message but its answer has no message_id.");
    }
}
