using Flexoraa.Channels;

namespace Flexoraa.Media;

/// <summary>One row of <c>media_objects</c>: an inbound attachment, where it comes from and how far its fetch got.</summary>
public sealed record MediaObjectRecord(
    string TenantId,
    string Id,
    string ConversationId,
    string MessageExternalId,
    ChannelKind Channel,
    string ChannelAccountId,
    string Kind,
    string? ExternalMediaId,
    string? SourceUrl,
    string? FileName,
    string? MimeType,
    long? SizeBytes,
    string? Sha256Expected,
    string? Sha256Actual,
    string Status,
    int Attempts,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    string? BlobKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StoredAt);
