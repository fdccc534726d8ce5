using Flexoraa.Leads;

namespace Flexoraa.Tests.Leads;

/// <summary>The field rules LeadGrain applies, without a cluster.</summary>
public sealed class LeadRulesTests
{
    [Theory]
    [InlineData("81234 56789", "IN", "+918123456789")]
    [InlineData("081234-56789", "IN", "+918123456789")]
    [InlineData("+91 81234 56789", "US", "+918123456789")]
    [InlineData("(201) 555-0123", "US", "+12015550123")]
    [InlineData("020 7946 0958", "GB", "+442079460958")]
    public void A_phone_is_stored_in_e164_read_in_the_region_when_it_has_no_country_code(string given, string region, string expected) =>
        Assert.Equal(expected, LeadRules.NormalizePhone(given, region));

    [Theory]
    [InlineData("12")]
    [InlineData("not a phone")]
    [InlineData("+91 12345")]
    public void A_number_that_is_no_phone_number_is_refused(string given) => Assert.Null(LeadRules.NormalizePhone(given, "IN"));

    [Theory]
    [InlineData(" Asha.Rao@Example.COM ", "asha.rao@example.com")]
    [InlineData("a+tag@sub.example.in", "a+tag@sub.example.in")]
    public void An_email_is_trimmed_and_lower_cased_for_matching(string given, string expected) => Assert.Equal(expected, LeadRules.NormalizeEmail(given));

    [Theory]
    [InlineData("plain")]
    [InlineData("a@b")]
    [InlineData("Asha <asha@example.com>")]
    [InlineData("two words@example.com")]
    [InlineData("a@example.com.")]
    public void Something_that_is_no_single_address_is_refused(string given) => Assert.Null(LeadRules.NormalizeEmail(given));
}
