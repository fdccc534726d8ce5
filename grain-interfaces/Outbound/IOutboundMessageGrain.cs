using Orleans.Concurrency;

namespace Flexoraa.Outbound;

/// <summary>
/// Sends one reply (an <c>outbound_messages</c> row) to Meta in the background, retrying rate limits with backoff and a
/// durable reminder, and never sending twice. Key: <see cref="OutboundMessageIds.GrainKey"/>.
/// </summary>
[Alias("Flexoraa.Outbound.IOutboundMessageGrain")]
public interface IOutboundMessageGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers the durable reminder and arms the first attempt, then returns without waiting for Meta. Idempotent, and
    /// interleaves with a running attempt, so the conversation calling it is never held up by one.
    /// </summary>
    [AlwaysInterleave]
    [Alias("Start")]
    Task Start();
}
