using Flexoraa.FrontendApi.CannedResponses;
using FsCheck.Xunit;

namespace Flexoraa.Tests.CannedResponses;

/// <summary>The template language of canned responses: strict when saved, total when rendered.</summary>
public sealed class CannedResponseTemplateTests
{
    private static readonly IReadOnlyDictionary<string, string?> Priya = new CannedResponseContext(
        "Priya Sharma", "+919876543210", "Arjun Mehta", "Sunrise Traders", "cv_abcdefghijkmnpqrstuv").Values();

    private static readonly IReadOnlyDictionary<string, string?> Nobody = new CannedResponseContext(null, null, null, null, null).Values();

    [Theory]
    [InlineData("{{contact.name}}", "Priya Sharma")]
    [InlineData("{{contact.first_name}}", "Priya")]
    [InlineData("{{contact.phone}}", "+919876543210")]
    [InlineData("{{agent.name}}", "Arjun Mehta")]
    [InlineData("{{agent.first_name}}", "Arjun")]
    [InlineData("{{tenant.name}}", "Sunrise Traders")]
    [InlineData("{{conversation.id}}", "cv_abcdefghijkmnpqrstuv")]
    [InlineData("Hi {{ contact.first_name }}, {{agent.first_name}} from {{tenant.name}} here.", "Hi Priya, Arjun from Sunrise Traders here.")]
    [InlineData("{{Contact.Name}}", "Priya Sharma")]
    [InlineData("Plain text, {braces} and 100% } stay.", "Plain text, {braces} and 100% } stay.")]
    public void Each_variable_renders_its_value(string content, string expected)
    {
        Assert.True(CannedResponseTemplate.TryParse(content, out var template, out var error), error);
        Assert.Equal(expected, template.Render(Priya));
    }

    [Theory]
    [InlineData("Hi {{contact.name | \"there\"}}!", "Hi there!")]
    [InlineData("Hi {{contact.first_name|'there'}}!", "Hi there!")]
    [InlineData("Hi {{contact.name}}!", "Hi !")]
    [InlineData("{{agent.name | \"our team\"}} / {{contact.phone}} / {{tenant.name | \"\"}}", "our team /  / ")]
    public void A_missing_value_renders_the_fallback_or_nothing(string content, string expected)
    {
        Assert.True(CannedResponseTemplate.TryParse(content, out var template, out var error), error);
        Assert.Equal(expected, template.Render(Nobody));
    }

    [Fact]
    public void A_blank_value_counts_as_missing_and_values_are_trimmed()
    {
        Assert.True(CannedResponseTemplate.TryParse("[{{contact.name | \"there\"}}] [{{agent.name}}]", out var template, out _));
        var values = new CannedResponseContext("   ", null, "  Arjun  ", null, null).Values();

        Assert.Equal("[there] [Arjun]", template.Render(values));
    }

    [Fact]
    public void Braces_in_a_customers_name_cannot_form_a_tag()
    {
        Assert.True(CannedResponseTemplate.TryParse("Hi {{contact.name}}", out var template, out _));
        var values = new CannedResponseContext("{{agent.name}} {", null, "Arjun", null, null).Values();

        Assert.Equal("Hi agent.name", template.Render(values));
    }

    [Theory]
    [InlineData("Hi {{contact.email}}", "contact.email")]
    [InlineData("Hi {{ agent.surname | \"x\" }}", "agent.surname")]
    [InlineData("Hi {{name}}", "name")]
    public void An_unknown_variable_is_refused_naming_it(string content, string variable)
    {
        Assert.False(CannedResponseTemplate.TryParse(content, out _, out var error));
        Assert.Contains("{{" + variable + "}}", error, StringComparison.Ordinal);
        Assert.Contains("contact.name", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hi {{contact.name")]
    [InlineData("Hi contact.name}}")]
    [InlineData("Hi {{}}")]
    [InlineData("Hi {{contact.name | there}}")]
    [InlineData("Hi {{contact.name | \"there'}}")]
    [InlineData("Hi {{contact.name | \"{x\"}}")]
    [InlineData("Hi {{{contact.name}}}")]
    public void Malformed_tags_are_refused(string content)
    {
        Assert.False(CannedResponseTemplate.TryParse(content, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Variables_lists_each_used_variable_once_in_order()
    {
        Assert.True(CannedResponseTemplate.TryParse("{{agent.name}} {{contact.name}} {{agent.name | \"x\"}}", out var template, out _));

        Assert.Equal(["agent.name", "contact.name"], template.Variables);
    }

    [Theory]
    [InlineData("919876543210", "+919876543210")]
    [InlineData("16505551234", "+16505551234")]
    [InlineData("0987654321", null)]
    [InlineData("24862948123456789", null)]
    [InlineData("abc", null)]
    [InlineData(null, null)]
    public void A_whatsapp_id_becomes_an_e164_phone(string? waId, string? phone) =>
        Assert.Equal(phone, CannedResponseContext.PhoneFromWhatsAppId(waId));

    [Theory]
    [InlineData("Priya Sharma", "Priya")]
    [InlineData("  Priya  ", "Priya")]
    [InlineData("Priya", "Priya")]
    [InlineData(" ", null)]
    [InlineData(null, null)]
    public void The_first_name_is_the_first_word(string? name, string? first) =>
        Assert.Equal(first, CannedResponseContext.FirstName(name));

    [Property(Arbitrary = [typeof(TemplateCases)], MaxTest = 3000)]
    public bool Any_text_is_refused_or_renders_without_an_opening_tag(TemplateCase @case) =>
        !CannedResponseTemplate.TryParse(@case.Content, out var template, out _) || !template.Render(@case.Values).Contains("{{", StringComparison.Ordinal);
}
