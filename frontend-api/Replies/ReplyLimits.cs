using System.Text;
using Flexoraa.Channels;
using Flexoraa.Media;

namespace Flexoraa.FrontendApi.Replies;

/// <summary>
/// What each channel accepts in a reply: text length (WhatsApp 4096 characters, Messenger 2000 characters, Instagram
/// 1000 UTF-8 bytes) and, for uploads, which types as which attachment kind and how large (Meta's published limits,
/// capped by <c>Flexoraa:Outbound:MaxUploadBytes</c>).
/// </summary>
public static class ReplyLimits
{
    public const long DefaultMaxUploadBytes = 16 * 1024 * 1024;
    private const long Mb = 1024 * 1024;

    private static readonly string[] WhatsAppImages = ["image/jpeg", "image/png"];
    private static readonly string[] WhatsAppVideos = ["video/mp4", "video/3gpp"];
    private static readonly string[] WhatsAppAudio = ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"];
    private static readonly string[] WhatsAppDocuments =
    [
        "application/pdf", "text/plain", "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.*",
    ];
    private static readonly string[] InstagramImages = ["image/jpeg", "image/png", "image/gif"];
    private static readonly string[] InstagramVideos = ["video/mp4", "video/ogg", "video/avi", "video/quicktime", "video/webm"];
    private static readonly string[] InstagramAudio = ["audio/aac", "audio/mp4", "audio/wav", "audio/x-m4a"];

    /// <summary>Null when <paramref name="text"/> fits; otherwise why not.</summary>
    public static string? TextProblem(ChannelKind channel, string text) => channel switch
    {
        ChannelKind.WhatsApp when text.Length > 4096 => "WhatsApp text is at most 4096 characters.",
        ChannelKind.Messenger when text.Length > 2000 => "Messenger text is at most 2000 characters.",
        ChannelKind.Instagram when Encoding.UTF8.GetByteCount(text) > 1000 => "Instagram text is at most 1000 bytes (UTF-8).",
        _ => null,
    };

    /// <summary>The attachment kind (image, video, audio, document) and size limit of <paramref name="mimeType"/> on the channel; false when not accepted.</summary>
    public static bool TryClassify(ChannelKind channel, string mimeType, long maxUploadBytes, out string kind, out long maxBytes)
    {
        var type = MediaMimeTypes.BaseType(mimeType);
        (kind, maxBytes) = channel switch
        {
            ChannelKind.WhatsApp when Matches(type, WhatsAppImages) => ("image", 5 * Mb),
            ChannelKind.WhatsApp when Matches(type, WhatsAppVideos) => ("video", 16 * Mb),
            ChannelKind.WhatsApp when Matches(type, WhatsAppAudio) => ("audio", 16 * Mb),
            ChannelKind.WhatsApp when Matches(type, WhatsAppDocuments) => ("document", 100 * Mb),
            ChannelKind.Messenger when type.StartsWith("image/", StringComparison.Ordinal) => ("image", 25 * Mb),
            ChannelKind.Messenger when type.StartsWith("video/", StringComparison.Ordinal) => ("video", 25 * Mb),
            ChannelKind.Messenger when type.StartsWith("audio/", StringComparison.Ordinal) => ("audio", 25 * Mb),
            ChannelKind.Messenger => ("document", 25 * Mb),
            ChannelKind.Instagram when Matches(type, InstagramImages) => ("image", 8 * Mb),
            ChannelKind.Instagram when Matches(type, InstagramVideos) => ("video", 25 * Mb),
            ChannelKind.Instagram when Matches(type, InstagramAudio) => ("audio", 25 * Mb),
            _ => ("", 0L),
        };
        maxBytes = Math.Min(maxBytes, maxUploadBytes);
        return kind.Length > 0;
    }

    private static bool Matches(string type, string[] allowed) => MediaMimeTypes.IsAllowed(type, allowed);
}
