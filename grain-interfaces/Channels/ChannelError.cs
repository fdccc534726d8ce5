namespace Flexoraa.Channels;

/// <summary>
/// An error the channel reported. Decide on <see cref="Code"/> and <see cref="Details"/>: Meta says titles are being
/// deprecated, which is also why <see cref="Title"/> may be missing.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelError")]
public sealed record ChannelError(
    [property: Id(0)] int Code,
    [property: Id(1)] string? Title,
    [property: Id(2)] string? Message,
    [property: Id(3)] string? Details,
    [property: Id(4)] string? Href);
