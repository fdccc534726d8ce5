namespace Flexoraa.Channels;

/// <summary>
/// A reaction to <see cref="TargetMessageId"/>. An empty <see cref="Emoji"/> removes the customer's reaction,
/// so the conversation can treat "set" and "remove" as one last-writer-wins update.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelReaction")]
public sealed record ChannelReaction(
    [property: Id(0)] string Emoji,
    [property: Id(1)] string TargetMessageId);
