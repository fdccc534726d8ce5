namespace Flexoraa.Media;

/// <summary>
/// Recognises the media types a browser may show inline from their first bytes. A declared type is only a claim (an
/// agent's upload says what its client said; a channel says what the sender's phone said), so media is shown inline only
/// when its bytes agree. This is an allow-list of a dozen formats rather than a general detector: anything it does not
/// recognise is served as a download, which is the safe answer. No maintained signature library restores here.
/// </summary>
public static class MediaSignature
{
    /// <summary>How many leading bytes <see cref="Sniff"/> needs to see.</summary>
    public const int HeadLength = 16;

    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> Matroska => [0x1A, 0x45, 0xDF, 0xA3];

    /// <summary>The inline-safe type the bytes have, or null when they are none of them.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(Jpeg)) return "image/jpeg";
        if (head.StartsWith(Png)) return "image/png";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return "image/gif";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8))
        {
            if (head[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
            if (head[8..12].SequenceEqual("WAVE"u8)) return "audio/wav";
        }
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = head[8..12];
            if (brand.StartsWith("3g"u8)) return "video/3gpp";
            if (brand.SequenceEqual("M4A "u8)) return "audio/mp4";
            if (brand.SequenceEqual("qt  "u8)) return "video/quicktime";
            return "video/mp4";
        }
        if (head.StartsWith("OggS"u8)) return "audio/ogg";
        if (head.StartsWith(Matroska)) return "video/webm";
        if (head.StartsWith("ID3"u8)) return "audio/mpeg";
        if (head.StartsWith("#!AMR"u8)) return "audio/amr";
        // MPEG audio frames (MP3) and ADTS (AAC) both start with an 11-bit sync word; the layer bits tell them apart.
        if (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)
        {
            return (head[1] & 0x06) == 0 ? "audio/aac" : "audio/mpeg";
        }
        return null;
    }

    /// <summary>
    /// Whether media declared as <paramref name="declaredType"/> whose bytes sniff as <paramref name="sniffedType"/> may
    /// be shown inline: the bytes must be an inline-safe format of the same kind (image, video or audio) as declared.
    /// Channels disagree on the exact subtype of the same file (audio/ogg vs audio/opus), so the kind decides.
    /// </summary>
    public static bool AgreesWith(string declaredType, string? sniffedType)
    {
        if (sniffedType is null || !MediaMimeTypes.IsInline(declaredType)) return false;
        var declaredKind = MediaMimeTypes.BaseType(declaredType).Split('/')[0];
        return declaredKind == sniffedType.Split('/')[0];
    }
}
