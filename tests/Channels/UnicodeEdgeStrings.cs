using FsCheck;
using FsCheck.Fluent;

namespace Flexoraa.Tests.Channels;

/// <summary>
/// Strings built from the pieces that matter to storage: ASCII, other BMP letters, emoji (valid surrogate pairs),
/// U+0000, and lone high and low surrogates, in any order, so unpaired halves also land next to valid pairs.
/// <see cref="Storable"/> leaves out the two kinds PostgreSQL cannot store.
/// </summary>
public static class UnicodeEdgeStrings
{
    private static readonly Gen<string> Ascii = Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString());
    private static readonly Gen<string> Bmp = Gen.Elements("ä", "ß", "अ", "中", "\u200B", "\uFEFF", "\uFFFD", "\u0001", "\n");
    private static readonly Gen<string> Emoji = Gen.Elements("😀", "👍", "🇮🇳", "\U0001F9D1\u200D\U0001F4BB");
    private static readonly Gen<string> Nul = Gen.Constant("\0");
    private static readonly Gen<string> LoneHigh = Gen.Choose(0xD800, 0xDBFF).Select(c => ((char)c).ToString());
    private static readonly Gen<string> LoneLow = Gen.Choose(0xDC00, 0xDFFF).Select(c => ((char)c).ToString());

    public static Arbitrary<string> Any() =>
        Gen.OneOf(Ascii, Ascii, Bmp, Emoji, Nul, LoneHigh, LoneLow).ArrayOf().Select(string.Concat).ToArbitrary();

    public static Gen<string> StorableGen { get; } = Gen.OneOf(Ascii, Ascii, Bmp, Emoji).ArrayOf().Select(string.Concat);
}

/// <summary>FsCheck arbitrary for strings without U+0000 or lone surrogates.</summary>
public static class StorableStrings
{
    public static Arbitrary<string> Storable() => UnicodeEdgeStrings.StorableGen.ToArbitrary();
}
