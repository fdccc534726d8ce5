namespace Flexoraa.Outbound;

/// <summary>
/// The answer to a reply: the stored message's id (<c>messages.id</c>) when accepted or replayed; otherwise why not,
/// with the field at fault, or for a closed window when it closed (null when the customer never wrote).
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Outbound.ReplyResult")]
public sealed record ReplyResult(
    [property: Id(0)] ReplyOutcome Outcome,
    [property: Id(1)] long? MessageId = null,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null,
    [property: Id(4)] DateTimeOffset? WindowClosedAt = null)
{
    public static ReplyResult NotFound { get; } = new(ReplyOutcome.NotFound);

    public static ReplyResult Invalid(string field, string error) => new(ReplyOutcome.Invalid, Field: field, Error: error);
}
