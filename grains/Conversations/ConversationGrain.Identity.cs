using Flexoraa.Channels;

namespace Flexoraa.Conversations;

/// <summary>
/// WhatsApp identity: the BSUID a wa_id conversation has learned (see <see cref="WhatsAppContactIdWrite"/>), and
/// "customer changed number", which links the new number's conversation to this one through a grain call, so it works
/// whichever silo either lives on and whichever of the two webhooks arrives first.
/// </summary>
public sealed partial class ConversationGrain
{
    /// <summary>
    /// The conversation a new one continues: the one named by <see cref="ContinueFrom"/>, else, when its first message
    /// names the customer by wa_id and BSUID, the BSUID's own conversation (the customer wrote with their number hidden
    /// before). The link's SQL ignores one that is not stored.
    /// </summary>
    private string? PreviousConversationOf(InboundChannelEvent item, ChannelMessage first) =>
        state.State.PreviousConversationId
        ?? (first.Channel == ChannelKind.WhatsApp && first.ContactUserId is { } userId && userId != first.ContactId && WhatsAppContactId.IsWaId(first.ContactId)
            ? ConversationKeys.ConversationId(item.ChannelAccountId, userId)
            : null);

    /// <summary>
    /// The wa_id / BSUID pairs the run's messages teach that this conversation has not stored yet, in order: a BSUID
    /// given beside the wa_id, or the new one a <c>user_changed_user_id</c> system message names. Usually none; an old
    /// BSUID and its replacement in one run are both kept, since events under the old one may still be delivered.
    /// </summary>
    private List<WhatsAppContactIdWrite> NewContactIdPairs(List<(InboundChannelEvent Item, ChannelMessage Message)> messages)
    {
        var pairs = new List<WhatsAppContactIdWrite>();
        var known = state.State.ContactUserId;
        foreach (var (item, message) in messages)
        {
            if (message.Channel != ChannelKind.WhatsApp || !WhatsAppContactId.IsWaId(message.ContactId)) continue;
            var userId = message.IdentityChange is { Kind: ContactIdentityChangeKind.UserIdChanged, NewUserId: { } changed } ? changed : message.ContactUserId;
            if (userId is null || userId == message.ContactId || userId == known || pairs.Exists(p => p.UserId == userId)) continue;
            pairs.Add(new WhatsAppContactIdWrite(_tenantId, _conversationId, item.ChannelAccountId, userId, message.ContactId));
        }
        return pairs;
    }

    /// <summary>
    /// A <c>user_changed_number</c> message shows here, in the old number's conversation, and tells the new number's
    /// conversation that it continues this one. Done for redelivered (duplicate) messages too, since the call is
    /// idempotent and a failure before it must be retried by the redelivery.
    /// </summary>
    private async Task ContinueInNewNumbersAsync(List<(InboundChannelEvent Item, ChannelMessage Message)> messages)
    {
        foreach (var (item, message) in messages)
        {
            if (message.IdentityChange is not { Kind: ContactIdentityChangeKind.NumberChanged, NewWaId: { } newWaId }
                || !WhatsAppContactId.IsWaId(newWaId) || newWaId == message.ContactId) continue;
            await GrainFactory.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(_tenantId, item.ChannelAccountId, newWaId)).ContinueFrom(_conversationId);
        }
    }

    /// <summary>
    /// Before this conversation's first message the link waits in the grain's state and rides with that message's lead
    /// link; after it, the row is linked now and takes the continued conversation's lead. The first link wins.
    /// </summary>
    public async Task ContinueFrom(string previousConversationId)
    {
        if (previousConversationId == _conversationId || state.State.PreviousConversationId is not null) return;
        if (state.State.LeadId is not null && await stores.Leads.ContinueAsync(_tenantId, _conversationId, previousConversationId) is { } leadId)
        {
            state.State.LeadId = leadId;
        }
        state.State.PreviousConversationId = previousConversationId;
        await state.WriteStateAsync();
    }
}
