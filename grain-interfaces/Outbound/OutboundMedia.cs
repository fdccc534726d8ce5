namespace Flexoraa.Outbound;

/// <summary>
/// An uploaded file already in the blob store (and in <c>media_objects</c> as <c>stored</c>), so the message detail
/// serves it through <c>/api/v1/media/{mediaObjectId}</c>. <see cref="Kind"/> is the channel's attachment type:
/// image, video, audio or document.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Outbound.OutboundMedia")]
public sealed record OutboundMedia(
    [property: Id(0)] string MediaObjectId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string MimeType,
    [property: Id(3)] string? FileName,
    [property: Id(4)] long SizeBytes,
    [property: Id(5)] string BlobKey,
    [property: Id(6)] string Sha256Hex);
