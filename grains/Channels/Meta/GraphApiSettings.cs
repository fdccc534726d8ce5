namespace Flexoraa.Channels.Meta;

/// <summary>
/// Where the Meta Graph API is and how hard <see cref="GraphApiClient"/> retries it: the Graph keys of the
/// <c>Flexoraa:Meta</c> section. Silos read it (they fetch media and will send messages), so it lives beside the client.
/// </summary>
public sealed record GraphApiSettings
{
    public const string Section = "Flexoraa:Meta";

    /// <summary>Tests point this at a fake Graph API on loopback.</summary>
    public string GraphApiBaseUrl { get; init; } = "https://graph.facebook.com";

    public string GraphApiVersion { get; init; } = "v23.0";

    /// <summary>Quick retries inside one call, for blips; longer outages are the caller's to retry later (media fetches do).</summary>
    public int GraphApiMaxRetries { get; init; } = 3;

    /// <summary>The first retry's delay; each further one doubles it, with jitter.</summary>
    public TimeSpan GraphApiRetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A <c>Retry-After</c> longer than this is not waited out inside the call: the error goes to the caller with it.</summary>
    public TimeSpan GraphApiMaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take until the response headers arrive.</summary>
    public TimeSpan GraphApiAttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Quick retries of a message send that Meta refused for a reason that heals by waiting (130429, 131056...). Only a
    /// refusal is retried: a send whose outcome is unknown (a timeout, a dropped connection) never is, so nothing goes
    /// out twice. Longer waits are the outbound grain's, on a reminder.
    /// </summary>
    public int GraphApiSendMaxRetries { get; init; } = 2;

    /// <summary>131056 (pair rate limit): Meta asks to wait 4^X times this before the X-th retry (X = 0, 1, 2...).</summary>
    public TimeSpan GraphApiPairRateLimitDelay { get; init; } = TimeSpan.FromSeconds(1);

    public Uri BaseAddress => new(GraphApiBaseUrl.TrimEnd('/') + "/", UriKind.Absolute);
}
