using System.Text.Json;
using Flexoraa.Channels;

namespace Flexoraa.Media;

/// <summary>
/// Which attachments of a message are media to copy: WhatsApp media by id (resolved through the Graph API), Messenger
/// and Instagram files by their URL. Shares, fallbacks, reels and templates point at pages or public posts, not at
/// something the customer sent, and are left alone. Values too long for their columns are skipped or cut rather than
/// allowed to fail the message's insert.
/// </summary>
public static class MediaSources
{
    private const int MaxMediaIdLength = 128;
    private const int MaxUrlLength = 4096;
    private const int MaxFileNameLength = 255;
    private const int MaxSha256Length = 128;

    public static IReadOnlyList<MediaSource> Of(string tenantId, ChannelMessage message)
    {
        if (message.Attachments.IsDefaultOrEmpty) return [];
        var sources = new List<MediaSource>();
        foreach (var attachment in message.Attachments)
        {
            if (attachment.Kind is not (MessageKind.Image or MessageKind.Video or MessageKind.Audio or MessageKind.Document or MessageKind.Sticker or MessageKind.StoryMention))
            {
                continue;
            }
            string? mediaId = null, url = null;
            if (message.Channel == ChannelKind.WhatsApp)
            {
                if (attachment.MediaId is not { Length: > 0 and <= MaxMediaIdLength } id) continue;
                mediaId = id;
            }
            else
            {
                if (attachment.Url is not { Length: > 0 and <= MaxUrlLength } link) continue;
                url = link;
            }
            var objectId = MediaObjectIds.For(tenantId, message.Channel, mediaId ?? url!);
            if (sources.Any(s => s.Id == objectId)) continue;
            sources.Add(new MediaSource(
                objectId,
                JsonNamingPolicy.CamelCase.ConvertName(attachment.Kind.ToString()),
                mediaId,
                url,
                MediaObjectStore.Truncate(attachment.FileName, MaxFileNameLength),
                attachment.MimeType is { Length: <= MediaObjectStore.MaxMimeTypeLength } mime ? mime : null,
                attachment.Sha256 is { Length: <= MaxSha256Length } sha ? sha : null));
        }
        return sources;
    }
}
