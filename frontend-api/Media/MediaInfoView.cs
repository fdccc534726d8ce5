using Flexoraa.Channels;
using Flexoraa.Media;

namespace Flexoraa.FrontendApi.Media;

/// <summary>
/// A media object as the API shows it: where its fetch stands (<c>pending</c>, <c>stored</c>, <c>failed</c>,
/// <c>rejected</c>) and why, and, once stored, its type, size and SHA-256 (hex) of the bytes served.
/// </summary>
public sealed record MediaInfoView(
    string Id,
    string Status,
    string Channel,
    string Kind,
    string ConversationId,
    string MessageExternalId,
    string? MimeType,
    long? SizeBytes,
    string? Sha256,
    string? FileName,
    int Attempts,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StoredAt)
{
    public static MediaInfoView From(MediaObjectRecord media) => new(
        media.Id,
        media.Status,
        ChannelKindNames.Of(media.Channel),
        media.Kind,
        media.ConversationId,
        media.MessageExternalId,
        media.MimeType,
        media.SizeBytes,
        media.Sha256Actual,
        media.FileName,
        media.Attempts,
        media.LastError,
        media.NextAttemptAt,
        media.CreatedAt,
        media.StoredAt);
}
