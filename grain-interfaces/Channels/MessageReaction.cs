using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Flexoraa.Channels;

/// <summary>
/// The current reaction of one person to a message: <see cref="By"/> is their channel id (wa_id, PSID, IGSID). A
/// message shows one per person; a removed reaction is not shown.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.MessageReaction")]
public sealed record MessageReaction(
    [property: Id(0)] string By,
    [property: Id(1)] string Emoji,
    [property: Id(2)] DateTimeOffset At)
{
    /// <summary>
    /// The reactions as <c>messages.reactions</c> stores them (<c>{"by": {"emoji", "at"}}</c>, a removal kept with a null
    /// emoji so an older reaction cannot revive it), without the removals, oldest first.
    /// </summary>
    public static ImmutableArray<MessageReaction> ListOf(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object) return [];
        var reactions = ImmutableArray.CreateBuilder<MessageReaction>();
        foreach (var person in document.RootElement.EnumerateObject())
        {
            if (person.Value.ValueKind != JsonValueKind.Object
                || !person.Value.TryGetProperty("emoji", out var emoji) || emoji.ValueKind != JsonValueKind.String || emoji.GetString() is not { Length: > 0 } text
                || !person.Value.TryGetProperty("at", out var at) || at.ValueKind != JsonValueKind.String)
            {
                continue;
            }
            reactions.Add(new MessageReaction(person.Name, text, DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture).ToUniversalTime()));
        }
        return [.. reactions.OrderBy(r => r.At).ThenBy(r => r.By, StringComparer.Ordinal)];
    }
}
