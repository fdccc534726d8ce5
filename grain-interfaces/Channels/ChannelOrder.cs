namespace Flexoraa.Channels;

/// <summary>
/// A cart a customer sent from a catalog. The items stay as JSON (<see cref="Json"/>, compact): pricing them is the
/// commerce feature's job, and keeping the original means no field is lost before that feature exists.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelOrder")]
public sealed record ChannelOrder(
    [property: Id(0)] string? CatalogId,
    [property: Id(1)] string? Text,
    [property: Id(2)] string Json);
