using System.Text.Json;
using System.Text.Json.Nodes;
using Flexoraa.Media;

namespace Flexoraa.Outbound;

/// <summary>Reads the channel-neutral <c>outbound_messages.payload</c> (<c>text</c>, <c>replyTo</c>, <c>template</c>, <c>media</c>).</summary>
public static class OutboundPayload
{
    public static JsonObject Of(OutboundReply reply)
    {
        var payload = new JsonObject();
        if (reply.Text is not null) payload["text"] = reply.Text;
        if (reply.ReplyToExternalId is not null) payload["replyTo"] = reply.ReplyToExternalId;
        if (reply.TemplateJson is not null) payload["template"] = JsonNode.Parse(reply.TemplateJson);
        if (reply.Media is not null) payload["media"] = JsonSerializer.SerializeToNode(reply.Media, JsonSerializerOptions.Web);
        return payload;
    }

    public static string? Text(JsonObject payload) => payload["text"]?.GetValue<string>();

    public static string? ReplyTo(JsonObject payload) => payload["replyTo"]?.GetValue<string>();

    public static JsonNode? Template(JsonObject payload) => payload["template"]?.DeepClone();

    public static OutboundMedia? Media(JsonObject payload) => payload["media"]?.Deserialize<OutboundMedia>(JsonSerializerOptions.Web);

    /// <summary>The uploaded file's bytes from the blob store (media is capped well below what memory can hold).</summary>
    public static async Task<byte[]> ReadAsync(IMediaBlobStore blobs, string tenantId, OutboundMedia media, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(tenantId, media.BlobKey, cancellationToken)
            ?? throw new InvalidOperationException($"The uploaded media {media.MediaObjectId} is missing from the blob store.");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }
}
