using Flexoraa.Media;
using Flexoraa.Outbound;

namespace Flexoraa.FrontendApi.Replies;

/// <summary>Where a reply's uploaded file goes and how large it may be.</summary>
public sealed class ReplyUploads(IMediaBlobStore blobs, IConfiguration configuration)
{
    public IMediaBlobStore Blobs { get; } = blobs;

    /// <summary><c>Flexoraa:Outbound:MaxUploadBytes</c>, read per request as before so a configuration reload applies.</summary>
    public long MaxUploadBytes => configuration.GetValue($"{OutboundSettings.Section}:MaxUploadBytes", ReplyLimits.DefaultMaxUploadBytes);
}
