using System.Threading.RateLimiting;
using Flexoraa.FrontendApi.Platform;

namespace Flexoraa.FrontendApi.Identity;

/// <summary>
/// Unknown or revoked API keys per client IP, per fixed minute. Every API key costs a database look-up before anyone
/// knows who calls, so an IP that has spent its budget of failures is refused before the look-up, for the rest of the
/// window, whatever key it sends.
/// </summary>
public sealed class FailedApiKeyLookups(RateLimitSettings settings) : IDisposable
{
    /// <summary>The <see cref="HttpContext.Items"/> key that tells the challenge to answer 429; its value is the wait.</summary>
    public const string RefusedItem = "flexoraa.failed-api-key-lookups.retry-after";

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(ip =>
        RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.FailedApiKeyLookupsPerIpPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>How long the IP must wait when it has no failures left this window; null while it may still try.</summary>
    public TimeSpan? Exhausted(string ip)
    {
        // Zero permits asks whether any are left without taking one.
        using var probe = _failures.AttemptAcquire(ip, 0);
        if (probe.IsAcquired) return null;
        return probe.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
    }

    public void Record(string ip)
    {
        using var _ = _failures.AttemptAcquire(ip, 1);
    }

    public void Dispose() => _failures.Dispose();
}
