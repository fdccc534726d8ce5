using System.Text;
using System.Text.Json;
using Flexoraa.Channels;
using FsCheck.Xunit;

namespace Flexoraa.Tests.Channels;

/// <summary>
/// <see cref="ChannelText"/>: the one normalisation of channel text. PostgreSQL stores neither U+0000 nor half a
/// surrogate pair, so both become U+FFFD; everything else stays exactly as the customer wrote it.
/// </summary>
public sealed class ChannelTextTests
{
    // Written as {XXXX} code units: xunit passes theory data through UTF-8, which would turn a lone surrogate into U+FFFD
    // before the test ever ran.
    [Theory]
    [InlineData("before{0000}after", "before{FFFD}after")]
    [InlineData("{0000}", "{FFFD}")]
    [InlineData("{0000}{0000}", "{FFFD}{FFFD}")]
    [InlineData("a{D800}b", "a{FFFD}b")]
    [InlineData("a{DC00}b", "a{FFFD}b")]
    [InlineData("{D800}", "{FFFD}")]
    [InlineData("end{D83D}", "end{FFFD}")]
    [InlineData("{DE00}{D83D}", "{FFFD}{FFFD}")]
    [InlineData("{D83D}{D83D}{DE00}", "{FFFD}{D83D}{DE00}")]
    [InlineData("{D83D}{DE00}{0000}", "{D83D}{DE00}{FFFD}")]
    public void Nul_and_lone_surrogates_become_the_replacement_character(string input, string expected) =>
        Assert.Equal(Units(expected), ChannelText.Normalize(Units(input)));

    private static string Units(string notation) =>
        System.Text.RegularExpressions.Regex.Replace(notation, "\\{([0-9A-F]{4})\\}", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("Hello this is an answer")]
    [InlineData("Grüße, नमस्ते, 你好")]
    [InlineData("👍🇮🇳 \U0001F9D1\u200D\U0001F4BB")]
    [InlineData("tab\tnew line\n\u0001 and \uFFFD already")]
    public void Valid_text_is_returned_unchanged_and_as_the_same_instance(string input) =>
        Assert.Same(input, ChannelText.Normalize(input));

    [Property(Arbitrary = [typeof(UnicodeEdgeStrings)], MaxTest = 2000)]
    public bool Normalised_text_is_always_storable_as_utf8(string input)
    {
        var normalized = ChannelText.Normalize(input);
        return ChannelText.IsStorable(normalized)
            && !normalized.Contains('\0')
            && Encoding.UTF8.GetString(new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(normalized)) == normalized;
    }

    [Property(Arbitrary = [typeof(UnicodeEdgeStrings)], MaxTest = 2000)]
    public bool Normalising_replaces_unit_for_unit_and_twice_is_once(string input)
    {
        var normalized = ChannelText.Normalize(input);
        var unitForUnit = normalized.Length == input.Length
            && Enumerable.Range(0, input.Length).All(i => normalized[i] == input[i] || normalized[i] == ChannelText.Replacement);
        return unitForUnit && ChannelText.Normalize(normalized) == normalized;
    }

    [Property(Arbitrary = [typeof(StorableStrings)], MaxTest = 2000)]
    public bool Storable_text_is_never_changed(string input) => ReferenceEquals(ChannelText.Normalize(input), input) && ChannelText.IsStorable(input);

    [Property(Arbitrary = [typeof(StorableStrings)], MaxTest = 2000)]
    public bool Truncation_keeps_within_the_cap_and_never_splits_a_surrogate_pair(string input, byte cap)
    {
        var max = cap % 40 + 1;
        var cut = ChannelText.Truncate(input, max);
        return cut.Length <= max && ChannelText.IsStorable(cut) && (input.Length <= max ? cut == input : cut.EndsWith('…'));
    }

    [Theory]
    [InlineData("""{"body":"before\u0000after"}""", """{"body":"before\\u0000after"}""")]
    [InlineData("""{"name":"\ud800"}""", """{"name":"\\ud800"}""")]
    [InlineData("""{"name":"x\udc00y"}""", """{"name":"x\\udc00y"}""")]
    [InlineData("""{"a":"\ud83d\ude00","b":"\u00e4"}""", """{"a":"\ud83d\ude00","b":"\u00e4"}""")]
    [InlineData("""{"a":"\\u0000"}""", """{"a":"\\u0000"}""")]
    [InlineData("""{"a":"\ud83d\ud83d\ude00"}""", """{"a":"\\ud83d\ud83d\ude00"}""")]
    public void Raw_json_escapes_only_what_jsonb_rejects(string json, string expected) => Assert.Equal(expected, JsonbText.Escape(json));

    [Property(Arbitrary = [typeof(UnicodeEdgeStrings)], MaxTest = 2000)]
    public bool Escaped_raw_json_is_still_json_holds_no_jsonb_rejected_escape_and_is_idempotent(string text)
    {
        // Every UTF-16 unit written as a \u escape, the way Meta sends non-ASCII text.
        var json = "{\"text\":\"" + string.Concat(text.Select(c => $"\\u{(int)c:x4}")) + "\"}";
        var escaped = JsonbText.Escape(json);
        using var document = JsonDocument.Parse(escaped);
        var decoded = document.RootElement.GetProperty("text").GetString()!;
        return ChannelText.IsStorable(decoded) && JsonbText.Escape(escaped) == escaped;
    }
}
