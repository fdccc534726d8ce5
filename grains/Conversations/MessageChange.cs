using Flexoraa.Channels;

namespace Flexoraa.Conversations;

/// <summary>
/// A reaction, edit or deletion of the stored message <see cref="TargetMessageId"/>, as <c>apply_message_change</c>
/// (migration 0023) takes it. <see cref="EventId"/> makes a redelivery harmless; <see cref="By"/> is whose reaction it
/// is (the customer's id, or <c>business</c> for one the business side made).
/// </summary>
public sealed record MessageChange(string Kind, string EventId, string TargetMessageId, string By, string? Emoji, string? Body, DateTimeOffset At)
{
    public const string Reaction = "reaction";
    public const string Edit = "edit";
    public const string Deletion = "deletion";

    /// <summary>The change an event makes, or null for an event that is a message of its own.</summary>
    public static MessageChange? Of(ChannelEvent channelEvent) => channelEvent switch
    {
        ChannelMessage { Kind: MessageKind.Reaction, Reaction: { } reaction } m => new(
            Reaction, m.ExternalMessageId, reaction.TargetMessageId, m.Direction == MessageDirection.Inbound ? m.ContactId : "business",
            reaction.Emoji, null, m.OccurredAt),
        ChannelMessageEdit e => new(Edit, e.EventId, e.TargetMessageId, e.ContactId, null, e.Text, e.OccurredAt),
        ChannelMessageDeletion d => new(Deletion, d.EventId, d.TargetMessageId, d.ContactId, null, null, d.OccurredAt),
        _ => null,
    };
}
