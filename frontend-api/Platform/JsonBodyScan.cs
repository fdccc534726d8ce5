using System.Text.Json;

namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// Reads a JSON body token by token, before any endpoint binds it, and finds the first thing the edge refuses: invalid
/// UTF-8, a NUL or lone surrogate in a property name or string value, or a property given twice in one object (which
/// binders resolve differently, last wins in one and first in another). The field is named as a path: <c>profile.name</c>,
/// <c>template.components[0].type</c>; <c>body</c> when the text is not JSON at all.
/// </summary>
public static class JsonBodyScan
{
    public static (string Field, string Message)? FirstProblem(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        // One frame per open container: its path, the names seen (objects) or the next index (arrays).
        var frames = new Stack<Frame>();
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var path = ValuePath(frames, pendingName);
                        pendingName = null;
                        frames.Push(new Frame(path, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var parent = frames.Peek();
                        if (!TryGetString(ref reader, out var name))
                        {
                            return (Join(parent.Path, "\ufffd"), "A property name is not valid Unicode (invalid UTF-8 or a lone surrogate).");
                        }
                        var field = Join(parent.Path, name);
                        if (UnsafeText.Problem(name) is { } nameProblem) return (Join(parent.Path, "\ufffd"), "A property name " + nameProblem);
                        // Binders match property names case-insensitively, so "a" and "A" are the same field given twice.
                        if (!parent.Names!.Add(name)) return (field, $"'{field}' is given more than once.");
                        pendingName = name;
                        break;
                    case JsonTokenType.String:
                        var at = ValuePath(frames, pendingName);
                        pendingName = null;
                        if (!TryGetString(ref reader, out var value)) return (at, $"'{at}' is not valid Unicode (invalid UTF-8 or a lone surrogate).");
                        if (UnsafeText.Problem(value) is { } problem) return (at, $"'{at}' {problem}");
                        break;
                    default:
                        ValuePath(frames, pendingName);
                        pendingName = null;
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            return ("body", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
        return null;
    }

    private sealed class Frame(string path, HashSet<string>? names)
    {
        public string Path { get; } = path;
        public HashSet<string>? Names { get; } = names;
        public int NextIndex { get; set; }
    }

    /// <summary>The path of the value being read, advancing the index when it is an array item.</summary>
    private static string ValuePath(Stack<Frame> frames, string? pendingName)
    {
        if (frames.Count == 0) return "body";
        var parent = frames.Peek();
        if (parent.Names is not null) return Join(parent.Path, pendingName ?? "");
        var path = $"{(parent.Path == "body" ? "" : parent.Path)}[{parent.NextIndex}]";
        parent.NextIndex++;
        return path;
    }

    private static string Join(string parent, string name) => parent == "body" ? name : $"{parent}.{name}";

    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // The reader refuses invalid UTF-8 and unpaired \uD800-style escapes when it decodes the text.
            value = "";
            return false;
        }
    }
}
