namespace Flexoraa.Channels;

/// <summary>
/// The option a customer chose: a WhatsApp reply button or list row (<see cref="Id"/>, <see cref="Title"/>,
/// <see cref="Description"/>), a template quick-reply button or a Messenger quick reply or postback
/// (<see cref="Title"/>, <see cref="Payload"/>). Id and Payload are what the business defined; Title is what the customer saw.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.InteractiveReply")]
public sealed record InteractiveReply(
    [property: Id(0)] string? Id,
    [property: Id(1)] string? Title,
    [property: Id(2)] string? Description,
    [property: Id(3)] string? Payload);
