using Flexoraa.Channels;

namespace Flexoraa.Conversations;

/// <summary>
/// What a message looks like in the conversation list: its text, or a label for a message without text
/// (<c>[image]</c>, <c>[template order_update]</c>), cut to <see cref="MaxLength"/> characters with an ellipsis. The one
/// rule for the <c>conversations</c> row and the <c>ConversationUpdated</c> events, so a list that takes an update from
/// the hub shows what a reload would show.
/// </summary>
public static class MessagePreview
{
    public const int MaxLength = 160;

    public static string Of(string? text, MessageKind kind, string? templateName = null)
    {
        var preview = text is { Length: > 0 } ? text
            : kind == MessageKind.Template ? $"[template {templateName}]"
            : $"[{kind.ToString().ToLowerInvariant()}]";
        if (preview.Length <= MaxLength) return preview;
        // Never cut between the halves of a surrogate pair: a lone half is not storable text.
        var cut = MaxLength - 1;
        if (char.IsHighSurrogate(preview[cut - 1])) cut--;
        return preview[..cut] + "…";
    }
}
