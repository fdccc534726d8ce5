namespace Flexoraa.Channels.Meta;

/// <summary>What <see cref="GraphApiClient.DownloadAsync"/> wrote: its length, SHA-256 and the response's content type.</summary>
public sealed record DownloadedMedia(string? ContentType, long Length, byte[] Sha256);
