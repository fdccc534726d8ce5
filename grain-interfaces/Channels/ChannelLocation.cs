namespace Flexoraa.Channels;

/// <summary>A shared location pin.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelLocation")]
public sealed record ChannelLocation(
    [property: Id(0)] double Latitude,
    [property: Id(1)] double Longitude,
    [property: Id(2)] string? Name,
    [property: Id(3)] string? Address,
    [property: Id(4)] string? Url);
