namespace Flexoraa.Channels.Meta;

/// <summary>A download was, or announced it would be, larger than the caller's cap; it was stopped there.</summary>
public sealed class MediaTooLargeException(long maxBytes, long? announcedBytes)
    : Exception(announcedBytes is { } size ? $"The media is {size} bytes, over the limit of {maxBytes}." : $"The media is over the limit of {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
    public long? AnnouncedBytes { get; } = announcedBytes;
}
