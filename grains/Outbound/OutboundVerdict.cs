namespace Flexoraa.Outbound;

/// <summary>How one send attempt ended.</summary>
public enum OutboundVerdict
{
    /// <summary>Meta accepted it and named it.</summary>
    Sent,

    /// <summary>Meta refused it for good (e.g. 131047, 131026, 368, 100, 190): no retry.</summary>
    Failed,

    /// <summary>Meta refused it for now (rate limits): certainly not sent, so it may be tried again later.</summary>
    Retry,

    /// <summary>The outcome is unknown (timeout, dropped connection): never retried, so nothing is sent twice.</summary>
    Interrupted,
}
