namespace Flexoraa.Outbound;

/// <summary>
/// What became of one reply's send, reported by its <see cref="IOutboundMessageGrain"/> to the conversation: sent with
/// the id Meta gave it (wamid / mid, or <c>sandbox.…</c>), or failed with Meta's code and title (or one of ours, see
/// <c>OutboundErrors</c>), after <see cref="Attempts"/> tries (null for an echo that named the reply first).
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Outbound.OutboundOutcome")]
public sealed record OutboundOutcome(
    [property: Id(0)] long MessageId,
    [property: Id(1)] string? ExternalId,
    [property: Id(2)] int? ErrorCode,
    [property: Id(3)] string? ErrorTitle,
    [property: Id(4)] string? ErrorMessage,
    [property: Id(5)] DateTimeOffset OccurredAt,
    [property: Id(6)] int? Attempts = null)
{
    public bool Sent => ExternalId is not null;
}
