using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Timeout;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// What the Graph API resilience pipeline retries: network failures and attempt timeouts, 5xx, 408 and 429, and Graph
/// errors that heal by waiting (rate limits such as 130429 and 131056, which Meta sends as 400). A <c>Retry-After</c>
/// is honoured; one longer than the pipeline may wait is handed to the caller instead of blocking the call.
/// </summary>
public static class GraphApiRetries
{
    /// <summary>Error bodies are small JSON; a larger body is not Meta's error and is not read into memory.</summary>
    private const long MaxErrorBodyBytes = 64 * 1024;

    public static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    public static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, TimeSpan maxDelay)
    {
        if (outcome.Exception is { } exception) return exception is HttpRequestException or TimeoutRejectedException;
        if (outcome.Result is not { } response || response.IsSuccessStatusCode) return false;
        if (RetryAfter(response) is { } after && after > maxDelay) return false;
        if (IsTransientStatus(response.StatusCode)) return true;
        return (int)response.StatusCode >= 400 && await ReadErrorAsync(response, CancellationToken.None) is { IsTransient: true };
    }

    /// <summary>The response's <c>Retry-After</c> as a delay from now, either form (seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not RetryConditionHeaderValue retryAfter) return null;
        if (retryAfter.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (retryAfter.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    /// <summary>Meta's error in an error response, if it has one. Buffers the (small) body, so it can be read again.</summary>
    public static async Task<GraphApiError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is > MaxErrorBodyBytes) return null;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        // Graph has answered errors as text/javascript as well as application/json.
        if (mediaType is not null && !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) && !mediaType.Contains("javascript", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            return GraphApiError.TryParse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
