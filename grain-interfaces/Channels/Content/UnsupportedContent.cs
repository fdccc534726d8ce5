namespace Flexoraa.Channels;

/// <summary>
/// A message the channel could not deliver to us or whose type this code does not know: <see cref="Type"/> says what it
/// was (Meta's <c>unsupported.type</c> such as <c>edit</c>, else the message's own type), and the error Meta attached,
/// when there was one, says why (131051 "Message type unknown").
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.UnsupportedContent")]
public sealed record UnsupportedContent(
    [property: Id(0)] string Type,
    [property: Id(1)] int? ErrorCode,
    [property: Id(2)] string? ErrorTitle,
    [property: Id(3)] string? ErrorDetails)
{
    /// <summary>
    /// An edit Meta delivers this way (131051) names no original, so it cannot change one: it reads as what happened.
    /// </summary>
    public const string EditNotice = "the customer edited a message";

    internal string? Summary => MessageContent.Join(Type == "edit" ? EditNotice : $"unsupported {Type} message", ErrorTitle);
}
