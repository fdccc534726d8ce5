namespace Flexoraa.Tests.CannedResponses;

/// <summary>A template source and the values it is rendered with, for the property tests of the canned response template.</summary>
public sealed record TemplateCase(string Content, IReadOnlyDictionary<string, string?> Values, string? Expected)
{
    public override string ToString() =>
        $"content: {Content} | values: {string.Join(", ", Values.Select(v => $"{v.Key}={v.Value ?? "null"}"))} | expected: {Expected ?? "(any)"}";
}
