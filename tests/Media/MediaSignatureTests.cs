using System.Text;
using Flexoraa.Media;

namespace Flexoraa.Tests.Media;

/// <summary>Media is shown inline only when its first bytes are an inline-safe format of the kind it claims to be.</summary>
public sealed class MediaSignatureTests
{
    public static TheoryData<string, string?> Heads => new()
    {
        { "FF D8 FF E0 00 10 4A 46 49 46", "image/jpeg" },
        { "89 50 4E 47 0D 0A 1A 0A 00 00", "image/png" },
        { Hex("GIF89a"), "image/gif" },
        { Hex("GIF87a"), "image/gif" },
        { Hex("RIFF") + " 24 00 00 00 " + Hex("WEBPVP8 "), "image/webp" },
        { Hex("RIFF") + " 24 00 00 00 " + Hex("WAVEfmt "), "audio/wav" },
        { "00 00 00 18 " + Hex("ftypmp42"), "video/mp4" },
        { "00 00 00 14 " + Hex("ftyp3gp5"), "video/3gpp" },
        { "00 00 00 20 " + Hex("ftypM4A "), "audio/mp4" },
        { "00 00 00 14 " + Hex("ftypqt  "), "video/quicktime" },
        { Hex("OggS") + " 00 02", "audio/ogg" },
        { "1A 45 DF A3 9F 42 86 81", "video/webm" },
        { Hex("ID3") + " 04 00", "audio/mpeg" },
        { "FF FB 90 64", "audio/mpeg" },
        { "FF F1 50 80", "audio/aac" },
        { Hex("#!AMR\n"), "audio/amr" },
        { Hex("MZ") + " 90 00 03 00 00 00", null },
        { Hex("<svg xmlns="), null },
        { Hex("<html><script>"), null },
        { Hex("%PDF-1.7"), null },
        { "7F 45 4C 46 02 01", null },
        { "", null },
        { "FF", null },
    };

    [Theory]
    [MemberData(nameof(Heads))]
    public void The_first_bytes_name_the_inline_safe_format_or_nothing(string head, string? expected) =>
        Assert.Equal(expected, MediaSignature.Sniff(Bytes(head)));

    [Theory]
    [InlineData("image/png", "image/png", true)]
    [InlineData("image/jpeg", "image/png", true)]
    [InlineData("audio/ogg; codecs=opus", "audio/ogg", true)]
    [InlineData("video/mp4", "video/mp4", true)]
    [InlineData("image/png", null, false)]
    [InlineData("image/png", "audio/mpeg", false)]
    [InlineData("audio/mpeg", "image/jpeg", false)]
    [InlineData("application/pdf", "image/png", false)]
    [InlineData("image/svg+xml", "image/png", false)]
    public void Inline_needs_bytes_of_the_declared_kind(string declared, string? sniffed, bool inline) =>
        Assert.Equal(inline, MediaSignature.AgreesWith(declared, sniffed));

    private static string Hex(string ascii) => Convert.ToHexString(Encoding.ASCII.GetBytes(ascii)).Chunk(2).Select(c => new string(c)).Aggregate("", (a, b) => a.Length == 0 ? b : a + " " + b);

    private static byte[] Bytes(string hex) =>
        hex.Length == 0 ? [] : hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => Convert.ToByte(h, 16)).ToArray();
}
