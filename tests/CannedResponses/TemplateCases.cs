using Flexoraa.FrontendApi.CannedResponses;
using FsCheck;
using FsCheck.Fluent;

namespace Flexoraa.Tests.CannedResponses;

/// <summary>Random soups of template syntax (mostly invalid) and values, for <see cref="CannedResponseTemplateTests"/>.</summary>
public static class TemplateCases
{
    private static readonly string[] Syntax =
        ["{{", "}}", "{", "}", "|", "\"", "'", " ", "a", "Hi ", ",", "\n", "contact.name", "agent.first_name", "tenant.name", "contact.email", " | \"there\"", "{{contact.name}}"];

    // Values from customers may hold anything, braces included.
    public static readonly Gen<string?> Value = Gen.OneOf(
        Gen.Constant<string?>(null),
        Gen.Elements<string?>("", "  ", "Priya Sharma", "{", "}", "{{", "}}", "{{agent.name}}", "Ana {", "} Bo"),
        ArbMap.Default.GeneratorFor<string>().Select(s => (string?)s));

    public static readonly Gen<IReadOnlyDictionary<string, string?>> Values =
        Value.ArrayOf(CannedResponseVariables.Listed.Count).Select(values =>
            (IReadOnlyDictionary<string, string?>)CannedResponseVariables.Listed.Zip(values).ToDictionary(p => p.First, p => p.Second));

    /// <summary>Anything at all in template syntax: the template must either refuse it or render it without "{{".</summary>
    public static Arbitrary<TemplateCase> Soup() =>
        Gen.Elements(Syntax).ArrayOf().Select(parts => string.Concat(parts))
            .SelectMany(content => Values.Select(values => new TemplateCase(content, values, null)))
            .ToArbitrary();

}
