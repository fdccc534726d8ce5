namespace Flexoraa.Outbound;

/// <summary>The outcome of one send attempt; <see cref="ExternalId"/> when sent, Meta's code and title when not.</summary>
public sealed record OutboundSendResult(OutboundVerdict Verdict, string? ExternalId = null, int? ErrorCode = null, string? ErrorTitle = null,
    string? ErrorMessage = null, TimeSpan? RetryAfter = null)
{
    public static OutboundSendResult Sent(string externalId) => new(OutboundVerdict.Sent, externalId);
}
