namespace Flexoraa.Tests.Infrastructure;

/// <summary>How <see cref="FakeGraphApi"/> fails a request it was told to fail.</summary>
public enum FakeGraphFailure
{
    /// <summary>500 with Graph's "unexpected error, retry later" body (code 2, is_transient).</summary>
    ServerError,

    /// <summary>400 with the reference's 130429 "Rate limit hit" error body, byte for byte.</summary>
    RateLimit,
}
