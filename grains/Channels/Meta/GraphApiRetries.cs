using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
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

    /// <summary>
    /// For message sends: retry only what certainly did not send — a connection that was never made, or Meta's refusal
    /// with an error that heals by waiting (130429 throughput, 131056 pair rate limit, 131057 maintenance...). A timeout,
    /// a dropped connection or a bare 5xx may have sent the message, so it is never retried here.
    /// </summary>
    public static async ValueTask<bool> ShouldRetrySendAsync(Outcome<HttpResponseMessage> outcome, TimeSpan maxDelay)
    {
        if (outcome.Exception is { } exception) return IsConnectFailure(exception);
        if (outcome.Result is not { } response || response.IsSuccessStatusCode) return false;
        if (RetryAfter(response) is { } after && after > maxDelay) return false;
        return await ReadErrorAsync(response, CancellationToken.None) is { IsTransient: true };
    }

    /// <summary>The wait before a send's retry: Retry-After when Meta gave one; 4^X × the pair delay for 131056; else the backoff.</summary>
    public static async ValueTask<TimeSpan?> SendDelayAsync(Outcome<HttpResponseMessage> outcome, int attemptNumber, GraphApiSettings settings)
    {
        if (outcome.Result is not { } response) return null;
        if (RetryAfter(response) is { } after) return after;
        if (await ReadErrorAsync(response, CancellationToken.None) is { Code: 131056 }) return PairRateLimitDelay(attemptNumber, settings.GraphApiPairRateLimitDelay);
        return null;
    }

    /// <summary>Meta's advice for 131056: wait 4^X seconds (X = 0, 1, 2...), here 4^X × <paramref name="unit"/>.</summary>
    public static TimeSpan PairRateLimitDelay(int retry, TimeSpan unit) =>
        TimeSpan.FromTicks((long)Math.Min(unit.Ticks * Math.Pow(4, Math.Clamp(retry, 0, 12)), TimeSpan.FromHours(1).Ticks));

    /// <summary>The request never reached the server, so it cannot have been acted on.</summary>
    public static bool IsConnectFailure(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>
    /// One line per retry, with the reason and no stack trace: a refused connection or a rate limit is an everyday event
    /// on this path (media fetches retry several times), and Polly's own telemetry would log each attempt twice, each
    /// time with the exception's full stack trace (see <see cref="QuietenRetryTelemetry"/>).
    /// </summary>
    public static async ValueTask LogRetryAsync(ILogger logger, string call, OnRetryArguments<HttpResponseMessage> args)
    {
        if (!logger.IsEnabled(LogLevel.Warning)) return;
        var reason = args.Outcome.Exception is { } e
            ? $"{e.GetType().Name}: {e.Message}"
            : args.Outcome.Result is { } response
                ? await ReadErrorAsync(response, CancellationToken.None) is { } error
                    ? $"HTTP {(int)response.StatusCode}, Graph error {error.Code}: {error.Message}"
                    : $"HTTP {(int)response.StatusCode}"
                : "no response";
        logger.LogWarning("Graph API {Call} failed ({Reason}); retry {Retry} in {Delay} ms",
            call, OneLine(reason), args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>
    /// Lowers Polly's per-attempt and per-retry events of the Graph API pipelines to Debug, so they still count in the
    /// resilience metrics but do not log (Polly logs at Warning and above), leaving <see cref="LogRetryAsync"/>'s line.
    /// Other pipelines keep their severity.
    /// </summary>
    public static void QuietenRetryTelemetry(TelemetryOptions options)
    {
        var previous = options.SeverityProvider;
        options.SeverityProvider = args =>
            IsGraphApiPipeline(args.Source.PipelineName) && args.Event.EventName is "ExecutionAttempt" or "OnRetry"
                ? ResilienceEventSeverity.Debug
                : previous?.Invoke(args) ?? args.Event.Severity;
    }

    private static bool IsGraphApiPipeline(string? pipelineName) =>
        pipelineName is not null && (pipelineName.EndsWith("-" + GraphApiServices.PipelineName, StringComparison.Ordinal)
                                     || pipelineName.EndsWith("-" + GraphApiServices.SendPipelineName, StringComparison.Ordinal));

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
