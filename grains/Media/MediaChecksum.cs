using System.Buffers.Text;
using System.Globalization;

namespace Flexoraa.Media;

/// <summary>
/// Compares Meta's <c>sha256</c> with the bytes' hash. Meta has sent it as hex and as base64, so both are read;
/// <see cref="Matches"/> answers null when the value is neither, and the check cannot be made.
/// </summary>
public static class MediaChecksum
{
    private const int Sha256Bytes = 32;

    public static bool? Matches(string expected, ReadOnlySpan<byte> actual) =>
        Decode(expected) is { } bytes ? bytes.AsSpan().SequenceEqual(actual) : null;

    public static byte[]? Decode(string value)
    {
        var text = value.Trim();
        if (text.Length == Sha256Bytes * 2 && text.All(char.IsAsciiHexDigit)) return Convert.FromHexString(text);
        var buffer = new byte[Sha256Bytes + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written) && written == Sha256Bytes) return buffer[..Sha256Bytes];
        try
        {
            var decoded = Base64Url.DecodeFromChars(text.TrimEnd('='));
            return decoded.Length == Sha256Bytes ? decoded : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string Hex(ReadOnlySpan<byte> hash) => Convert.ToHexString(hash).ToLower(CultureInfo.InvariantCulture);
}
