using Flexoraa.Api;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.Realtime;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// A <see cref="MessageStatusChanged"/> as the hub sends it, in the REST message's words: the message by its
/// <c>externalId</c> (and, when Meta just named a reply, the <c>previousExternalId</c> its <c>MessageReceived</c> had) and
/// the new <c>status</c> in the shape of the REST message's <c>status</c>, so a client replaces that field as it is.
/// </summary>
public sealed record MessageStatusView(
    string TenantId,
    string ConversationId,
    DateTimeOffset OccurredAt,
    string ExternalId,
    string? PreviousExternalId,
    MessageDelivery Status)
{
    public static MessageStatusView From(MessageStatusChanged changed) => new(
        changed.TenantId,
        changed.ConversationId!,
        changed.OccurredAt,
        changed.MessageId,
        changed.PreviousMessageId,
        new MessageDelivery(ApiJson.NameOf(changed.Status), changed.ErrorCode, changed.ErrorTitle, changed.LastError, changed.Attempts, changed.NextAttemptAt));
}
