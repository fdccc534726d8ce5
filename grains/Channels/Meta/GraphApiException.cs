using System.Net;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// A Graph API call (or a media download) failed: an error status, with Meta's error when the body had one, or a
/// success status whose body was not what the Graph API answers (<paramref name="message"/> says how).
/// </summary>
public sealed class GraphApiException(HttpStatusCode status, GraphApiError? error, TimeSpan? retryAfter, string? message = null)
    : Exception(message ?? error?.ToString() ?? $"The Graph API answered {(int)status} {status}.")
{
    public HttpStatusCode Status { get; } = status;
    public GraphApiError? Error { get; } = error;

    /// <summary>The response's <c>Retry-After</c>, when it had one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Whether trying again later may succeed: a server error, a timeout, a rate limit or an error Meta marks transient.</summary>
    public bool IsTransient => GraphApiRetries.IsTransientStatus(Status) || Error?.IsTransient == true;
}
