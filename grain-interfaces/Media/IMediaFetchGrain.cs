using Orleans.Concurrency;

namespace Flexoraa.Media;

/// <summary>
/// Copies one inbound media object (a <c>media_objects</c> row) from Meta into the blob store, retrying failures that
/// can heal with backoff and a durable reminder. Key: <see cref="MediaObjectIds.GrainKey"/> (<c>{tenantId}/{mediaObjectId}</c>).
/// </summary>
[Alias("Flexoraa.Media.IMediaFetchGrain")]
public interface IMediaFetchGrain : IGrainWithStringKey
{
    /// <summary>
    /// Makes sure the fetch is scheduled: registers the durable reminder and arms the first attempt, then returns without
    /// waiting for the download. Idempotent; a row that is no longer pending is left alone. Interleaves with a running
    /// download, so a conversation calling it is never held up by one.
    /// </summary>
    [AlwaysInterleave]
    [Alias("Start")]
    Task Start();
}
