using System.Text;
using Flexoraa.FrontendApi.CannedResponses;
using FsCheck;
using FsCheck.Fluent;

namespace Flexoraa.Tests.CannedResponses;

/// <summary>Valid templates built from parts whose rendering is known in advance, for <see cref="ValidTemplateTests"/>.</summary>
public static class ValidTemplateCases
{
    /// <summary>Valid templates (literal text without braces, tags with known variables and fallbacks) and their expected rendering.</summary>
    public static Arbitrary<TemplateCase> Valid() =>
        TemplateCases.Values.SelectMany(values => Part(values).ArrayOf().Select(parts =>
            {
                var content = new StringBuilder();
                var expected = new StringBuilder();
                foreach (var (source, rendered) in parts)
                {
                    content.Append(source);
                    expected.Append(rendered);
                }
                return new TemplateCase(content.ToString(), values, expected.ToString());
            }))
            .ToArbitrary();

    private static Gen<(string Source, string Rendered)> Part(IReadOnlyDictionary<string, string?> values) => Gen.OneOf(
        Gen.Elements("Hi ", ", ", "see you", "\n", " ", "100% {sure}", "a}b", "x{y", "!").Select(text => (text, text)),
        Gen.Elements(CannedResponseVariables.Listed.ToArray())
            .SelectMany(name => Gen.Elements<string?>(null, "there", "", "our team").Select(fallback => (name, fallback)))
            .Select(tag =>
            {
                var source = tag.fallback is null ? $"{{{{{tag.name}}}}}" : $"{{{{ {tag.name} | \"{tag.fallback}\" }}}}";
                var value = values[tag.name]?.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal);
                var rendered = string.IsNullOrWhiteSpace(value) ? tag.fallback ?? "" : value.Trim();
                return (source, rendered);
            }));
}
