using System.Text.Json.Serialization;

namespace Flexoraa.Channels;

/// <summary>
/// What a message holds beyond its text, typed per kind, so the inbox can show a pin, a contact card or a cart instead
/// of an empty row. The property of the message's kind is set (<see cref="Location"/> for a location, and so on), and
/// <see cref="Referral"/> beside it when the message came from an ad. <see cref="Summary"/> is the plain text of all of
/// it: what full-text search indexes (the <c>messages.search</c> column reads it) and what a client can show for a kind
/// it does not render.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.MessageContent")]
public sealed record MessageContent
{
    [Id(0), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LocationContent? Location { get; init; }

    [Id(1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ContactsContent? Contacts { get; init; }

    [Id(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReactionContent? Reaction { get; init; }

    [Id(3), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OrderContent? Order { get; init; }

    [Id(4), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FlowReplyContent? FlowReply { get; init; }

    /// <summary>The button or list row the customer tapped: an interactive reply or a template's quick-reply button.</summary>
    [Id(5), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public InteractiveReply? Choice { get; init; }

    [Id(6), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReferralContent? Referral { get; init; }

    [Id(7), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public UnsupportedContent? Unsupported { get; init; }

    /// <summary>The content as one line of plain text, e.g. a location's name and address or a cart's product ids.</summary>
    public string? Summary
    {
        get
        {
            string?[] parts =
            [
                Location?.Summary, Contacts?.Summary, Reaction?.Summary, Order?.Summary, FlowReply?.Summary,
                Choice is { } c ? Join(c.Title, c.Description) : null, Referral?.Summary, Unsupported?.Summary,
            ];
            return Join(parts) is { } text ? Capped(text) : null;
        }
    }

    /// <summary>
    /// The summary's longest length. Text bodies are already capped at 4096 characters; the summary is held to the same,
    /// so the search column's tsvector (at most 1 MB) can never refuse a row whose content is huge (a hostile 1 MB name).
    /// </summary>
    public const int MaxSummaryLength = 4096;

    private static string Capped(string text)
    {
        if (text.Length <= MaxSummaryLength) return text;
        // Never cut a surrogate pair in half: jsonb refuses the lone half.
        var length = char.IsHighSurrogate(text[MaxSummaryLength - 1]) ? MaxSummaryLength - 1 : MaxSummaryLength;
        return text[..length];
    }

    /// <summary>The non-empty parts joined with a middle dot, or null when there are none.</summary>
    internal static string? Join(params IEnumerable<string?> parts)
    {
        var text = string.Join(" · ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
        return text.Length == 0 ? null : text;
    }
}
