using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.Channels;
using Flexoraa.Realtime;

namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// One stored message; <see cref="Status"/> is null until Meta reports one (inbound messages never get one). A reply
/// (direction <c>outbound</c>) has one from the start: <c>queued</c> until Meta accepts it, then sent, delivered, read,
/// or failed with the code and title. <see cref="Sandbox"/> is set on replies only: true when the sandbox sender
/// recorded it instead of delivering it. <see cref="Content"/> holds what the message's kind carries beyond its text
/// (a location, contact cards, a cart, a Flow's answers, a reaction, the tapped button, the referring ad, or what an
/// unsupported message was), typed; null for plain text and media, which <see cref="Body"/> and <see cref="Attachments"/> cover.
/// <para>
/// <see cref="Reactions"/> are the current reaction per person (a reaction is shown on its message, never as a row).
/// An edited message has its new text in <see cref="Body"/> and the replaced ones, oldest first, in
/// <see cref="PreviousVersions"/>. A <see cref="Deleted"/> message has no body, attachments, content or previous
/// versions here: they are kept for audit and retention rules, not shown.
/// </para>
/// </summary>
public sealed record MessageView(
    long Id,
    string ExternalId,
    string Direction,
    string Kind,
    string? Body,
    JsonElement Attachments,
    string? ReplyToExternalId,
    DateTimeOffset OccurredAt,
    MessageDelivery? Status,
    bool? Sandbox = null,
    MessageContent? Content = null,
    IReadOnlyList<MessageReaction>? Reactions = null,
    bool Edited = false,
    DateTimeOffset? EditedAt = null,
    IReadOnlyList<MessageVersion>? PreviousVersions = null,
    bool Deleted = false,
    DateTimeOffset? DeletedAt = null)
{
    /// <summary>
    /// The message as the hub announces it, in this same shape: one record, two transports. What REST reads back from
    /// the row (direction and kind names, attachments JSON, a reply's <c>queued</c>) is derived here the way it was stored.
    /// </summary>
    public static MessageView From(MessageReceived received) => new(
        received.StoredId,
        received.MessageId,
        ApiJson.NameOf(received.Direction),
        // A note's row says kind "note" (it is nothing a channel carries), whatever the update's kind says.
        received.Direction == MessageDirection.Note ? "note" : ApiJson.NameOf(received.Kind),
        received.Text,
        JsonDocument.Parse(received.AttachmentsJson ?? "[]").RootElement.Clone(),
        received.ReplyToExternalId,
        received.OccurredAt,
        received.Direction == MessageDirection.Outbound ? new MessageDelivery("queued", null, null) : null,
        received.Sandbox,
        received.Content,
        // A message is announced as it is stored: nothing has reacted to, edited or deleted it yet.
        Reactions: [],
        PreviousVersions: []);
}
