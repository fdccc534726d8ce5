using System.Collections.Concurrent;
using Flexoraa.Channels;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// Routes a WhatsApp event that names the customer by BSUID alone (they hide their number behind a username) to the
/// conversation of their wa_id, once a webhook that carried both taught the pair (<c>whatsapp_contact_ids</c>, written
/// by that conversation). Only BSUID-only events are looked up, so the common event with a wa_id costs nothing here.
/// Pairs found are kept in this host's bounded cache: a BSUID names one wa_id for good (a new number gets a new BSUID).
/// Pairs not found are not cached, so the first event after the pair is stored already routes to the wa_id.
/// </summary>
public sealed class WhatsAppContactDirectory(TenantDatabase database)
{
    private const int MaxCached = 50_000;
    private readonly ConcurrentDictionary<(string TenantId, string ChannelAccountId, string UserId), string> _waIds = new();

    /// <summary>The event as its conversation should see it: keyed by the wa_id when the BSUID's wa_id is known.</summary>
    public async ValueTask<ChannelEvent> RouteAsync(string tenantId, string channelAccountId, ChannelEvent item, CancellationToken cancellationToken)
    {
        if (item.Channel != ChannelKind.WhatsApp) return item;
        if (WhatsAppContactId.IsWaId(item.ContactId))
        {
            // Learnt from the payload itself, so this host routes the next BSUID-only event at once, before the pair commits.
            if (UserIdOf(item) is { } userId && userId != item.ContactId && !IsKnown((tenantId, channelAccountId, userId), item.ContactId))
            {
                Remember((tenantId, channelAccountId, userId), item.ContactId);
            }
            return item;
        }
        var key = (tenantId, channelAccountId, item.ContactId);
        if (!_waIds.TryGetValue(key, out var waId))
        {
            await using var session = await database.BeginAsync(tenantId, cancellationToken);
            waId = await session.ExecuteScalarAsync<string?>(
                "SELECT wa_id FROM whatsapp_contact_ids WHERE tenant_id = @tenant AND channel_account_id = @account AND user_id = @userId",
                new { account = channelAccountId, userId = item.ContactId }, cancellationToken);
            await session.CommitAsync(cancellationToken);
            if (waId is null) return item;
            Remember(key, waId);
        }
        return item with { ContactId = waId };
    }

    private bool IsKnown((string, string, string) key, string waId) => _waIds.TryGetValue(key, out var known) && known == waId;

    private void Remember((string, string, string) key, string waId)
    {
        // Bounded the cheap way: a full cache starts over, and the pairs still in use come back one look-up each.
        if (_waIds.Count >= MaxCached) _waIds.Clear();
        _waIds[key] = waId;
    }

    private static string? UserIdOf(ChannelEvent item) => item switch
    {
        ChannelMessage m => m.ContactUserId,
        ChannelStatusUpdate s => s.ContactUserId,
        _ => null,
    };
}
