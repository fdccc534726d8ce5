namespace Flexoraa.Outbound;

/// <summary>
/// The outcome of one send attempt; <see cref="ExternalId"/> when sent, Meta's code and title when not.
/// <see cref="Sandboxed"/>: the sandbox sender took it in place of Meta, which had refused the account's token (local mode).
/// </summary>
public sealed record OutboundSendResult(OutboundVerdict Verdict, string? ExternalId = null, int? ErrorCode = null, string? ErrorTitle = null,
    string? ErrorMessage = null, TimeSpan? RetryAfter = null, bool Sandboxed = false)
{
    public static OutboundSendResult Sent(string externalId) => new(OutboundVerdict.Sent, externalId);
}
