using System.Diagnostics.CodeAnalysis;

namespace Flexoraa.Outbound;

/// <summary>
/// The one spelling of what a reply carries, in <c>outbound_messages.kind</c> (whose CHECK allows exactly these) and the
/// sandbox's records: <c>text</c>, <c>template</c>, <c>media</c>. Fixed here by name, so renaming a C# member never changes
/// stored text, and parsed by hand because <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would also accept "1".
/// </summary>
public static class OutboundKindNames
{
    public const string Text = "text";
    public const string Template = "template";
    public const string Media = "media";

    public static string Of(OutboundKind kind) => kind switch
    {
        OutboundKind.Text => Text,
        OutboundKind.Template => Template,
        OutboundKind.Media => Media,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown reply kind."),
    };

    public static bool TryParse(string? name, [NotNullWhen(true)] out OutboundKind? kind)
    {
        kind = name?.Trim().ToLowerInvariant() switch
        {
            Text => OutboundKind.Text,
            Template => OutboundKind.Template,
            Media => OutboundKind.Media,
            _ => null,
        };
        return kind is not null;
    }
}
