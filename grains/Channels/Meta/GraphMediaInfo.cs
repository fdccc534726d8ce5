namespace Flexoraa.Channels.Meta;

/// <summary>
/// <c>GET /{version}/{media-id}</c>: where to download a WhatsApp media object (the URL lives about 5 minutes, so it is
/// fetched again for every attempt) and what Meta says about it. <see cref="FileSize"/> arrives as a string or a number.
/// </summary>
public sealed record GraphMediaInfo(string Id, Uri Url, string? MimeType, string? Sha256, long? FileSize);
