using System.Text.Json;
using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.Media;

namespace Flexoraa.Outbound;

/// <summary>
/// WhatsApp Cloud API: <c>POST /{version}/{phone-number-id}/messages</c> with a text (and <c>context</c> for a reply), a
/// template, or media uploaded first through <c>POST /{phone-number-id}/media</c> and then sent by id. Meta's answer
/// names the message: <c>messages[0].id</c>, the wamid its status webhooks will carry.
/// </summary>
public sealed class WhatsAppSender(GraphMessagingClient graph, IMediaBlobStore blobs) : IOutboundSender
{
    public async Task<string> SendAsync(OutboundMessageRecord message, string externalAccountId, string accessToken, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
        };
        // A customer who hides their number is reached by their business-scoped user id, which Meta takes as "recipient".
        body[WhatsAppContactId.IsWaId(message.ContactId) ? "to" : "recipient"] = message.ContactId;
        switch (message.Kind)
        {
            case OutboundKind.Template:
                body["type"] = "template";
                body["template"] = OutboundPayload.Template(message.Payload);
                break;
            case OutboundKind.Media:
                var media = OutboundPayload.Media(message.Payload) ?? throw new InvalidOperationException("A media reply without media.");
                var bytes = await OutboundPayload.ReadAsync(blobs, message.TenantId, media, cancellationToken);
                var mediaId = await graph.UploadWhatsAppMediaAsync(externalAccountId, bytes, media.MimeType, media.FileName ?? media.MediaObjectId, accessToken, cancellationToken);
                var part = new JsonObject { ["id"] = mediaId };
                // WhatsApp takes no caption on audio; a document keeps its file name for the customer.
                if (OutboundPayload.Text(message.Payload) is { } caption && media.Kind != "audio") part["caption"] = caption;
                if (media.Kind == "document" && media.FileName is { } name) part["filename"] = name;
                body["type"] = media.Kind;
                body[media.Kind] = part;
                break;
            default:
                body["type"] = "text";
                body["text"] = new JsonObject { ["preview_url"] = false, ["body"] = OutboundPayload.Text(message.Payload) };
                break;
        }
        if (OutboundPayload.ReplyTo(message.Payload) is { } replyTo) body["context"] = new JsonObject { ["message_id"] = replyTo };

        var answer = await graph.SendMessageAsync(externalAccountId, body, accessToken, cancellationToken);
        return answer.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
               && messages[0].TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } wamid
            ? wamid
            : throw new GraphApiException(System.Net.HttpStatusCode.OK, null, null, "WhatsApp accepted the message but its answer has no messages[0].id.");
    }
}
