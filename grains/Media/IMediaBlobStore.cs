namespace Flexoraa.Media;

/// <summary>
/// Where media bytes live, by a key the store hands out. The default is <see cref="FileSystemMediaBlobStore"/> under the
/// data directory; an S3-compatible store can replace it by registering another implementation.
/// </summary>
public interface IMediaBlobStore
{
    /// <summary>Stores <paramref name="content"/> (read to its end) as the tenant's media object and returns its key. Storing again replaces it.</summary>
    Task<string> PutAsync(string tenantId, string mediaObjectId, Stream content, CancellationToken cancellationToken = default);

    /// <summary>The stored bytes of the tenant's <paramref name="blobKey"/>, or null when there are none.</summary>
    Task<Stream?> OpenReadAsync(string tenantId, string blobKey, CancellationToken cancellationToken = default);

    Task DeleteAsync(string tenantId, string blobKey, CancellationToken cancellationToken = default);
}
