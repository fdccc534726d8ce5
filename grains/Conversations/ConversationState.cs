using System.Collections.Immutable;
using Flexoraa.Channels;
using Flexoraa.Contacts;

namespace Flexoraa.Conversations;

/// <summary>
/// What a conversation persists in Orleans storage: who it is with and its lead. The workflow (status, snooze, assignee,
/// tags) lives in the <c>conversations</c> row, its state of record, so that a change commits with its audit entries in
/// one transaction (<see cref="ConversationStore"/>); ids 5 to 8 are kept for state written before that, and only
/// <see cref="SnoozeUntil"/> is still read, once, for a snooze older than the row's column. Per-message figures (last activity,
/// unread count, service window) live in the <c>conversations</c> row that every message write updates atomically, so the
/// hot path costs one statement per message instead of two.
/// </summary>
[GenerateSerializer, Alias("Flexoraa.Conversations.ConversationState")]
public sealed class ConversationState
{
    [Id(0)] public ChannelKind? Channel { get; set; }
    [Id(1)] public string? ChannelAccountId { get; set; }
    [Id(2)] public string? ContactId { get; set; }
    [Id(3)] public string? ContactName { get; set; }
    [Id(4)] public string? LeadId { get; set; }
    [Id(5)] public ConversationStatus Status { get; set; }
    [Id(6)] public DateTimeOffset? SnoozeUntil { get; set; }
    [Id(7)] public string? AssigneeUserId { get; set; }
    [Id(8)] public ImmutableArray<string> Tags { get; set; } = [];

    /// <summary>The Messenger / Instagram profile as last looked up (<see cref="Flexoraa.Contacts.IContactProfileGrain"/>); null: never.</summary>
    [Id(9)] public ContactProfileStatus? ProfileStatus { get; set; }

    [Id(10)] public string? ContactUsername { get; set; }

    [Id(11)] public string? ContactAvatarUrl { get; set; }

    /// <summary>When Meta last answered a look-up (found or refused): the refresh period runs from here.</summary>
    [Id(12)] public DateTimeOffset? ProfileCheckedAt { get; set; }

    /// <summary>Who the conversation is with, for a <see cref="Flexoraa.Realtime.ConversationUpdated"/>; null before its first message.</summary>
    public ContactSnapshot? Contact() =>
        Channel is { } channel && ContactId is { } contact ? new ContactSnapshot(channel, contact, ContactName, ContactUsername, ContactAvatarUrl, ProfileStatus,
            // The row's contact_user_id: the BSUID stored beside a wa_id, or the id itself for a customer known only by BSUID.
            ContactUserId ?? (channel == Flexoraa.Channels.ChannelKind.WhatsApp && !Flexoraa.Channels.WhatsAppContactId.IsWaId(contact) ? contact : null)) : null;

    /// <summary>The WhatsApp BSUID this conversation has stored with its wa_id in <c>whatsapp_contact_ids</c>, so the pair is written only when it is new.</summary>
    [Id(13)] public string? ContactUserId { get; set; }

    /// <summary>
    /// The conversation this one continues (the old number's, told by its <c>user_changed_number</c> message), kept
    /// until this conversation's first message links its row and lead to it.
    /// </summary>
    [Id(14)] public string? PreviousConversationId { get; set; }
}
