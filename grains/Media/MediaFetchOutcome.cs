namespace Flexoraa.Media;

/// <summary>The result of one <see cref="MediaFetcher"/> attempt, with what was learnt about the media on the way.</summary>
public sealed record MediaFetchOutcome(
    MediaFetchVerdict Verdict,
    string? Error,
    TimeSpan? RetryAfter = null,
    string? BlobKey = null,
    long? SizeBytes = null,
    string? Sha256Hex = null,
    string? MimeType = null)
{
    public static MediaFetchOutcome Stored(string blobKey, long sizeBytes, string sha256Hex, string mimeType) =>
        new(MediaFetchVerdict.Stored, null, null, blobKey, sizeBytes, sha256Hex, mimeType);

    public static MediaFetchOutcome Rejected(string error, string? mimeType = null, long? sizeBytes = null, string? sha256Hex = null) =>
        new(MediaFetchVerdict.Rejected, error, null, null, sizeBytes, sha256Hex, mimeType);

    public static MediaFetchOutcome Failed(string error) => new(MediaFetchVerdict.Failed, error);

    public static MediaFetchOutcome Retry(string error, TimeSpan? retryAfter = null) => new(MediaFetchVerdict.Retry, error, retryAfter);
}
