using System.Text;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>Fills an OpenAPI path template (<c>/api/v1/conversations/{conversationId}</c>) with already-escaped values.</summary>
public static class OpenApiPathTemplate
{
    /// <summary>The path, or null naming the first parameter that <paramref name="valueOf"/> has no value for.</summary>
    public static string? Fill(string template, Func<string, string?> valueOf, out string? missing)
    {
        missing = null;
        var url = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                url.Append(template, i, template.Length - i);
                break;
            }
            var close = template.IndexOf('}', open);
            url.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            if (valueOf(name) is not { } value)
            {
                missing = name;
                return null;
            }
            url.Append(value);
            i = close + 1;
        }
        return url.ToString();
    }

    /// <summary>The names of the template's path parameters, in order.</summary>
    public static IReadOnlyList<string> Parameters(string template)
    {
        var names = new List<string>();
        for (var open = template.IndexOf('{', StringComparison.Ordinal); open >= 0; open = template.IndexOf('{', open + 1))
        {
            names.Add(template[(open + 1)..template.IndexOf('}', open)]);
        }
        return names;
    }
}
