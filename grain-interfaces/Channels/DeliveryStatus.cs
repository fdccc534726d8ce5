namespace Flexoraa.Channels;

/// <summary>
/// How far a message the business sent has got. Numbers are serialized; never renumber. They also order the
/// normal progression (sent &lt; delivered &lt; read) so a conversation can keep status monotonic; Failed is terminal.
/// </summary>
public enum DeliveryStatus
{
    /// <summary>A value we do not know; the original string is in <see cref="ChannelStatusUpdate.RawStatus"/>.</summary>
    Unknown = 0,
    Sent = 1,
    Delivered = 2,
    Read = 3,
    Failed = 4,

    /// <summary>Only in hub events of a reply Meta refused for now (rate limit, transient error, unreachable); never stored or ordered.</summary>
    Retrying = 5,
}
