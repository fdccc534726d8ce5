namespace Flexoraa.Media;

/// <summary>How one fetch attempt ended.</summary>
public enum MediaFetchVerdict
{
    Stored,

    /// <summary>The media itself is refused (size, type, checksum); fetching again gives the same answer.</summary>
    Rejected,

    /// <summary>An error retrying cannot fix (a bad token, an unknown media id, a 4xx that is not a rate limit).</summary>
    Failed,

    /// <summary>May heal: the network, a 5xx, a rate limit. Worth another attempt later.</summary>
    Retry,
}
