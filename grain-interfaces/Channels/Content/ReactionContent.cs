namespace Flexoraa.Channels;

/// <summary>
/// A reaction to the message <see cref="TargetMessageId"/> (the channel's id). Meta sends a removal as a reaction
/// without an emoji, so <see cref="Removed"/> is true when <see cref="Emoji"/> is empty.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ReactionContent")]
public sealed record ReactionContent(
    [property: Id(0)] string? Emoji,
    [property: Id(1)] string TargetMessageId)
{
    public bool Removed => string.IsNullOrEmpty(Emoji);

    internal string? Summary => Removed ? "removed a reaction" : Emoji;
}
