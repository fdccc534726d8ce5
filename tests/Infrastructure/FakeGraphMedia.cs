using System.Security.Cryptography;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// One media object the <see cref="FakeGraphApi"/> knows, and how it should misbehave: fail its next requests, lie about
/// its hash or size, hold its answer until released. Counters say what the fetcher actually asked for.
/// </summary>
public sealed class FakeGraphMedia(string id, byte[] bytes, string mimeType, string? phoneNumberId)
{
    private int _infoFailures;
    private int _downloadFailures;
    private int _infoRequests;
    private int _downloadRequests;

    public string Id { get; } = id;
    public byte[] Bytes { get; } = bytes;
    public string MimeType { get; } = mimeType;

    /// <summary>The number the media belongs to; a <c>phone_number_id</c> query naming another number is refused as Meta does.</summary>
    public string? PhoneNumberId { get; } = phoneNumberId;

    public string Sha256Hex => Convert.ToHexStringLower(SHA256.HashData(Bytes));

    /// <summary>What the info answers as <c>sha256</c> instead of the truth.</summary>
    public string? AnnouncedSha256 { get; set; }

    /// <summary>What the info answers as <c>file_size</c> instead of the truth.</summary>
    public long? AnnouncedFileSize { get; set; }

    /// <summary><c>file_size</c> as a JSON number (a third-party capture) instead of a string (Meta's spec).</summary>
    public bool FileSizeAsNumber { get; set; }

    /// <summary>Send the download chunked, without Content-Length, so only a streaming cap can stop it.</summary>
    public bool OmitContentLength { get; set; }

    /// <summary>A Retry-After header (seconds) on the failures this media answers.</summary>
    public int? RetryAfterSeconds { get; set; }

    public FakeGraphFailure Failure { get; private set; }

    /// <summary>While set, the info request waits for it before answering.</summary>
    public TaskCompletionSource? InfoGate { get; set; }

    public int InfoRequests => Volatile.Read(ref _infoRequests);
    public int DownloadRequests => Volatile.Read(ref _downloadRequests);

    /// <summary>The last info request's <c>phone_number_id</c>, if it had one.</summary>
    public string? LastPhoneNumberIdQuery { get; internal set; }

    /// <summary>The Authorization header of the last download, if it had one.</summary>
    public string? LastDownloadAuthorization { get; internal set; }

    public FakeGraphMedia FailInfo(int times, FakeGraphFailure failure)
    {
        Failure = failure;
        Volatile.Write(ref _infoFailures, times);
        return this;
    }

    public FakeGraphMedia FailDownload(int times, FakeGraphFailure failure)
    {
        Failure = failure;
        Volatile.Write(ref _downloadFailures, times);
        return this;
    }

    internal bool CountInfoAndTakeFailure()
    {
        Interlocked.Increment(ref _infoRequests);
        return Interlocked.Decrement(ref _infoFailures) >= 0;
    }

    internal bool CountDownloadAndTakeFailure()
    {
        Interlocked.Increment(ref _downloadRequests);
        return Interlocked.Decrement(ref _downloadFailures) >= 0;
    }
}
