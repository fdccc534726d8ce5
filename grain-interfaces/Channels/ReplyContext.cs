namespace Flexoraa.Channels;

/// <summary>
/// What a message answers: an earlier message (<see cref="MessageId"/>, whose author is <see cref="From"/> when the
/// channel says so), a catalog product, or an Instagram story. WhatsApp also sets the message id on button and list
/// replies, pointing at the business message whose button was tapped.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ReplyContext")]
public sealed record ReplyContext(
    [property: Id(0)] string? MessageId,
    [property: Id(1)] string? From,
    [property: Id(2)] ReferredProduct? Product,
    [property: Id(3)] ReferredStory? Story);
