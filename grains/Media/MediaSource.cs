namespace Flexoraa.Media;

/// <summary>One attachment of a message that will be fetched: its media object id and where it comes from.</summary>
public sealed record MediaSource(string Id, string Kind, string? ExternalMediaId, string? SourceUrl, string? FileName, string? MimeType, string? Sha256);
