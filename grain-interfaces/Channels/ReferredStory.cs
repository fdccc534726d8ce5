namespace Flexoraa.Channels;

/// <summary>The Instagram story a customer replied to. The URL expires, so keep the id for lookups.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ReferredStory")]
public sealed record ReferredStory(
    [property: Id(0)] string? Id,
    [property: Id(1)] string? Url);
