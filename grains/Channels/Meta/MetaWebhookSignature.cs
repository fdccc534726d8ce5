using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// Checks Meta's <c>X-Hub-Signature-256</c> header: <c>sha256=</c> followed by the hex HMAC-SHA256 of the request
/// body, keyed with the app secret. The same check covers WhatsApp, Messenger and Instagram webhooks.
/// <para>
/// Always verify the raw bytes exactly as received, before parsing: Meta signs its escaped form (<c>\u00e4</c>),
/// and any re-serialization changes the bytes and breaks the signature.
/// </para>
/// </summary>
public sealed class MetaWebhookSignature
{
    public const string HeaderName = "X-Hub-Signature-256";

    private const string Prefix = "sha256=";
    private const int HashBytes = HMACSHA256.HashSizeInBytes;

    private readonly byte[] appSecret;

    /// <param name="appSecret">The Meta app's App Secret (App Dashboard, Settings, Basic).</param>
    public MetaWebhookSignature(string appSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        this.appSecret = Encoding.UTF8.GetBytes(appSecret);
    }

    /// <summary>
    /// True only when <paramref name="signatureHeader"/> is <c>sha256=</c> plus 64 hex digits (either case) that
    /// match the body. A missing, empty or malformed header is simply not valid; it never throws.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> body, string? signatureHeader)
    {
        if (signatureHeader is null) return false;
        var header = signatureHeader.AsSpan().Trim();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var hex = header[Prefix.Length..];
        if (hex.Length != HashBytes * 2) return false;

        Span<byte> claimed = stackalloc byte[HashBytes];
        if (Convert.FromHexString(hex, claimed, out _, out var written) != OperationStatus.Done || written != HashBytes) return false;

        Span<byte> actual = stackalloc byte[HashBytes];
        HMACSHA256.HashData(appSecret, body, actual);
        // Constant time, so response timing cannot reveal how many leading bytes of a forged signature were right.
        return CryptographicOperations.FixedTimeEquals(actual, claimed);
    }

    /// <summary>The header value Meta would send for <paramref name="body"/>: <c>sha256=</c> plus lowercase hex.
    /// For tests, fakes and benchmarks that need to sign payloads.</summary>
    public string Compute(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        HMACSHA256.HashData(appSecret, body, hash);
        return Prefix + Convert.ToHexStringLower(hash);
    }
}
