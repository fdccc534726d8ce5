namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// A message's delivery status: the latest Meta reported (sent, delivered, read, or failed with its code and title), or
/// for a reply Meta has not accepted yet its own state: <c>queued</c>, or <c>retrying</c> after a refusal that heals by
/// waiting (a rate limit, Meta's transient 5xx, an unreachable Graph API) with <see cref="LastError"/>, the
/// <see cref="Attempts"/> made so far and when the <see cref="NextAttemptAt">next</see> one is due. A reply that keeps
/// being refused until the give-up time becomes <c>failed</c>. <see cref="Attempts"/> is null for inbound messages.
/// </summary>
public sealed record MessageDelivery(
    string Status,
    int? ErrorCode,
    string? ErrorTitle,
    string? LastError = null,
    int? Attempts = null,
    DateTimeOffset? NextAttemptAt = null)
{
    public const string Retrying = "retrying";
}
