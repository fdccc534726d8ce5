namespace Flexoraa.FrontendApi.Leads.Import;

/// <summary>
/// Reads through to <paramref name="inner"/> and throws <see cref="UploadTooLargeException"/> as soon as more than
/// <paramref name="maxBytes"/> came through, so an upload without (or with a false) Content-Length is cut off at the
/// limit rather than stored whole first.
/// </summary>
internal sealed class LimitedStream(Stream inner, long maxBytes) : Stream
{
    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > maxBytes) throw new UploadTooLargeException(maxBytes);
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal sealed class UploadTooLargeException(long maxBytes) : Exception($"The file is larger than the {maxBytes} bytes allowed.")
{
    public long MaxBytes { get; } = maxBytes;
}
