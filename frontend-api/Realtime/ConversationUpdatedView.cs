using Flexoraa.FrontendApi.Inbox;
using Flexoraa.Realtime;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// A <see cref="ConversationUpdated"/> as the hub sends it: in the REST conversation's names and shapes
/// (<see cref="ConversationSummaryView"/>), so a client patches its list entry field by field. <see cref="Contact"/> is
/// the REST <c>contact</c> object and <see cref="Window"/> the REST <c>window</c>, whose <c>open</c> holds as of
/// <see cref="OccurredAt"/>. A null field did not change.
/// </summary>
public sealed record ConversationUpdatedView(
    string TenantId,
    string? ConversationId,
    DateTimeOffset OccurredAt,
    ConversationContact? Contact,
    string? LastMessagePreview,
    DateTimeOffset? LastMessageAt,
    ServiceWindow? Window,
    string? Status,
    int? UnreadCount,
    IReadOnlyList<string>? Tags)
{
    public static ConversationUpdatedView From(ConversationUpdated update) => new(
        update.TenantId,
        update.ConversationId,
        update.OccurredAt,
        update.Contact is { } contact ? ConversationContact.Of(contact) : null,
        update.LastMessagePreview,
        update.LastMessageAt,
        update.ServiceWindowExpiresAt is { } expires ? new ServiceWindow(expires > update.OccurredAt, expires) : null,
        update.Status,
        update.UnreadCount,
        update.Tags is { } tags ? tags : null);
}
