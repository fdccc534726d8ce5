using System.Text;

namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>
/// A canned response's content, parsed: literal text and <c>{{variable}}</c> or <c>{{variable | "fallback"}}</c> tags.
/// Parsing is strict (unknown variables, unclosed or stray braces are errors) so that whatever was saved renders; rendering
/// is total (a missing value is the fallback or nothing) so that no <c>{{</c> ever reaches a customer.
/// </summary>
public sealed class CannedResponseTemplate
{
    private readonly IReadOnlyList<Segment> _segments;

    private CannedResponseTemplate(IReadOnlyList<Segment> segments) => _segments = segments;

    /// <summary>The variables the template uses, each once, in order of first use.</summary>
    public IReadOnlyList<string> Variables => [.. _segments.Where(s => s.Variable is not null).Select(s => s.Variable!).Distinct(StringComparer.Ordinal)];

    public static bool TryParse(string content, out CannedResponseTemplate template, out string error)
    {
        ArgumentNullException.ThrowIfNull(content);
        template = new CannedResponseTemplate([]);
        error = "";
        var segments = new List<Segment>();
        var i = 0;
        while (i < content.Length)
        {
            // The first "{{" opens a tag, so literal text can never end in "{" right before a tag: "{{{x}}" is a tag
            // named "{x" (an error), never a brace followed by a tag.
            var open = content.IndexOf("{{", i, StringComparison.Ordinal);
            var literal = open < 0 ? content[i..] : content[i..open];
            if (literal.Contains("}}", StringComparison.Ordinal))
            {
                error = $"'}}}}' at position {i + literal.IndexOf("}}", StringComparison.Ordinal)} closes nothing; variables are written {{{{contact.name}}}}.";
                return false;
            }
            if (literal.Length > 0) segments.Add(new Segment(literal, null, null));
            if (open < 0) break;

            var close = content.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{{{{' at position {open} is never closed with '}}}}'.";
                return false;
            }
            if (!TryParseTag(content[(open + 2)..close], out var tag, out error)) return false;
            segments.Add(tag);
            i = close + 2;
        }
        template = new CannedResponseTemplate(segments);
        return true;
    }

    private static bool TryParseTag(string inner, out Segment tag, out string error)
    {
        tag = default!;
        error = "";
        var bar = inner.IndexOf('|', StringComparison.Ordinal);
        var name = (bar < 0 ? inner : inner[..bar]).Trim().ToLowerInvariant();
        if (name.Length == 0)
        {
            error = "An empty variable '{{}}'; name one of " + Known() + ".";
            return false;
        }
        if (!CannedResponseVariables.All.Contains(name))
        {
            error = $"Unknown variable '{{{{{name}}}}}'; the variables are {Known()}.";
            return false;
        }

        string? fallback = null;
        if (bar >= 0)
        {
            var quoted = inner[(bar + 1)..].Trim();
            if (quoted.Length < 2 || quoted[0] is not ('"' or '\'') || quoted[^1] != quoted[0])
            {
                error = $"The fallback of '{{{{{name}}}}}' must be in quotes, as in {{{{{name} | \"there\"}}}}.";
                return false;
            }
            fallback = quoted[1..^1];
            if (fallback.AsSpan().IndexOfAny('{', '}') >= 0)
            {
                error = $"The fallback of '{{{{{name}}}}}' cannot contain braces.";
                return false;
            }
        }
        tag = new Segment(null, name, fallback);
        return true;
    }

    /// <summary>
    /// Fills the tags from <paramref name="values"/> (by variable name). A missing or blank value gives the fallback, or
    /// nothing. Braces are dropped from values first: they come from customers (profile names) and must not form a tag.
    /// </summary>
    public string Render(IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = new StringBuilder();
        foreach (var segment in _segments)
        {
            if (segment.Literal is not null)
            {
                text.Append(segment.Literal);
                continue;
            }
            var value = values.TryGetValue(segment.Variable!, out var v) ? WithoutBraces(v) : null;
            text.Append(string.IsNullOrWhiteSpace(value) ? segment.Fallback ?? "" : value.Trim());
        }
        return text.ToString();
    }

    private static string? WithoutBraces(string? value) =>
        value is null || value.AsSpan().IndexOfAny('{', '}') < 0 ? value : string.Concat(value.Where(c => c is not ('{' or '}')));

    private static string Known() => string.Join(", ", CannedResponseVariables.Listed);

    /// <summary>Either literal text or a variable with its optional fallback.</summary>
    private sealed record Segment(string? Literal, string? Variable, string? Fallback);
}
