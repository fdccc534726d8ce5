namespace Flexoraa.Channels;

/// <summary>
/// The ad or post the customer tapped to start writing (WhatsApp click-to-WhatsApp <c>referral</c>), with its
/// media: <see cref="ImageUrl"/> for an image ad, <see cref="VideoUrl"/> and <see cref="ThumbnailUrl"/> for a video ad.
/// <see cref="ClickId"/> is Meta's <c>ctwa_clid</c>, needed to report conversions back.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ReferralContent")]
public sealed record ReferralContent(
    [property: Id(0)] string? SourceType,
    [property: Id(1)] string? SourceId,
    [property: Id(2)] string? SourceUrl,
    [property: Id(3)] string? Headline,
    [property: Id(4)] string? Body,
    [property: Id(5)] string? MediaType,
    [property: Id(6)] string? ImageUrl,
    [property: Id(7)] string? VideoUrl,
    [property: Id(8)] string? ThumbnailUrl,
    [property: Id(9)] string? ClickId,
    [property: Id(10)] string? WelcomeText)
{
    internal string? Summary => MessageContent.Join(Headline, Body, SourceUrl);
}
