using Flexoraa.Channels.Meta;

namespace Flexoraa.Tests.Channels;

public sealed class MetaWebhookSignatureTests
{
    // The reference's computed test vector: the 421-byte compact WhatsApp sample signed with "test_app_secret".
    private const string TestVectorHeader = "sha256=f8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7";

    private static readonly MetaWebhookSignature Signature = new("test_app_secret");
    private static readonly byte[] Body = MetaFixtures.Bytes("whatsapp-signature-test-vector.json");

    [Fact]
    public void The_reference_test_vector_body_is_the_exact_421_bytes() => Assert.Equal(421, Body.Length);

    [Fact]
    public void The_reference_test_vector_verifies() => Assert.True(Signature.Verify(Body, TestVectorHeader));

    [Fact]
    public void Compute_produces_the_reference_header_in_lowercase_hex() => Assert.Equal(TestVectorHeader, Signature.Compute(Body));

    [Fact]
    public void Upper_case_hex_in_the_header_still_verifies() =>
        Assert.True(Signature.Verify(Body, "sha256=" + TestVectorHeader["sha256=".Length..].ToUpperInvariant()));

    [Fact]
    public void Surrounding_whitespace_in_the_header_is_tolerated() => Assert.True(Signature.Verify(Body, $" {TestVectorHeader}\t"));

    [Fact]
    public void Changing_any_single_byte_of_the_body_fails()
    {
        for (var i = 0; i < Body.Length; i++)
        {
            var tampered = (byte[])Body.Clone();
            tampered[i] ^= 0x01;
            Assert.False(Signature.Verify(tampered, TestVectorHeader), $"byte {i} changed but the signature still verified");
        }
    }

    [Fact]
    public void A_trailing_newline_after_the_body_fails() => Assert.False(Signature.Verify([.. Body, (byte)'\n'], TestVectorHeader));

    [Fact]
    public void Another_app_secret_fails() => Assert.False(new MetaWebhookSignature("other_app_secret").Verify(Body, TestVectorHeader));

    [Fact]
    public void A_signature_off_by_one_hex_digit_fails() => Assert.False(Signature.Verify(Body, TestVectorHeader[..^1] + "8"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("sha256=")]
    [InlineData("f8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7")]
    [InlineData("sha1=f8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7")]
    [InlineData("sha256:f8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7")]
    [InlineData("sha256=f8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a")]
    [InlineData("sha256=f8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7a")]
    [InlineData("sha256=g8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7")]
    [InlineData("sha256=f8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7,sha256=f8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7")]
    [InlineData("sha256=+8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7")]
    [InlineData("sha256=f8586d9f fbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a")]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    public void A_missing_or_malformed_header_fails_without_throwing(string? header) => Assert.False(Signature.Verify(Body, header));

    [Fact]
    public void An_empty_body_signed_correctly_verifies() => Assert.True(Signature.Verify([], Signature.Compute([])));

    [Fact]
    public void Bodies_are_verified_as_bytes_so_escaped_unicode_must_not_be_decoded_first()
    {
        // Meta signs its escaped form (\u00e4\u00f6\u00e5); the decoded UTF-8 of the same JSON is different bytes.
        var escaped = MetaFixtures.Utf8("""{"text":"\u00e4\u00f6\u00e5"}""");
        var decoded = MetaFixtures.Utf8("{\"text\":\"äöå\"}");
        Assert.True(Signature.Verify(escaped, Signature.Compute(escaped)));
        Assert.False(Signature.Verify(decoded, Signature.Compute(escaped)));
    }

    [Fact]
    public void An_empty_app_secret_is_a_configuration_error() => Assert.Throws<ArgumentException>(() => new MetaWebhookSignature(""));
}
