namespace Flexoraa.Channels;

/// <summary>
/// Where to fetch a piece of media. WhatsApp gives a <see cref="MediaId"/> to resolve through the Graph API
/// (its URLs expire after minutes); Messenger and Instagram give a <see cref="Url"/> directly.
/// <see cref="Sha256"/> is opaque: Meta has sent both hex and base64.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.MediaReference")]
public sealed record MediaReference(
    [property: Id(0)] MessageKind Kind,
    [property: Id(1)] string? MediaId,
    [property: Id(2)] string? Url,
    [property: Id(3)] string? MimeType,
    [property: Id(4)] string? Sha256,
    [property: Id(5)] string? Caption,
    [property: Id(6)] string? FileName,
    [property: Id(7)] string? Title,
    [property: Id(8)] bool IsVoiceNote,
    [property: Id(9)] bool IsAnimated);
