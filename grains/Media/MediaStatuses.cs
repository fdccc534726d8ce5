namespace Flexoraa.Media;

/// <summary>The values of <c>media_objects.status</c>.</summary>
public static class MediaStatuses
{
    /// <summary>Not fetched yet, or waiting for its next attempt.</summary>
    public const string Pending = "pending";

    /// <summary>In the blob store, checked, ready to serve.</summary>
    public const string Stored = "stored";

    /// <summary>Given up: out of attempts, or an error that retrying cannot fix (a bad token, an unknown media id).</summary>
    public const string Failed = "failed";

    /// <summary>Fetched but refused: too large, a type not allowed, or a checksum mismatch.</summary>
    public const string Rejected = "rejected";
}
