namespace Flexoraa.Channels;

/// <summary>
/// The ad or post that started the conversation (WhatsApp Click-to-WhatsApp <c>referral</c>). Lead scoring and
/// campaign attribution read it; <see cref="Json"/> keeps every field (media URLs, thumbnails) compactly.
/// <see cref="ClickId"/> is Meta's ctwa_clid, needed to report conversions back.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelReferral")]
public sealed record ChannelReferral(
    [property: Id(0)] string? SourceType,
    [property: Id(1)] string? SourceId,
    [property: Id(2)] string? SourceUrl,
    [property: Id(3)] string? Headline,
    [property: Id(4)] string? Body,
    [property: Id(5)] string? ClickId,
    [property: Id(6)] string Json);
