namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// The <c>Flexoraa:Webhooks:DeadLetters</c> section: how many dead letters webhooks may keep per time window. Anyone with
/// a tenant's app secret can sign a webhook carrying thousands of unusable events; past these caps they are counted
/// and logged, not stored one row each.
/// </summary>
public sealed record WebhookDeadLetterSettings
{
    public const string Section = "Flexoraa:Webhooks:DeadLetters";

    /// <summary>Dead letters kept per external account (phone_number_id, page id, Instagram account id) per window.</summary>
    public int PerAccountPerWindow { get; init; } = 100;

    /// <summary>
    /// Dead letters kept per signing Meta app per window, whichever accounts they name: the per-account cap alone would
    /// let one body name ten thousand invented accounts.
    /// </summary>
    public int PerAppPerWindow { get; init; } = 1000;

    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);
}
