using Flexoraa.FrontendApi.CannedResponses;
using FsCheck.Xunit;

namespace Flexoraa.Tests.CannedResponses;

/// <summary>Valid templates built from known parts: they parse, and render to exactly what the parts say.</summary>
public sealed class ValidTemplateTests
{
    [Property(Arbitrary = [typeof(ValidTemplateCases)], MaxTest = 2000)]
    public bool A_valid_template_renders_its_literals_values_and_fallbacks(TemplateCase @case) =>
        CannedResponseTemplate.TryParse(@case.Content, out var template, out _)
        && template.Render(@case.Values) is var text
        && text == @case.Expected
        && !text.Contains("{{", StringComparison.Ordinal)
        && !text.Contains("}}", StringComparison.Ordinal);
}
