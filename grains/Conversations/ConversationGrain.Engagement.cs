using Flexoraa.Channels;
using Flexoraa.Leads;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Conversations;

/// <summary>
/// What the conversation tells its lead (<see cref="ILeadGrain.RecordConversationEngagements"/>): every stored inbound and
/// outbound message, the first reply after the customer's last message when it came fast, and the conversation being
/// resolved. A run of messages costs one one-way call, whatever its length; a conversation without a lead sends nothing.
/// </summary>
public sealed partial class ConversationGrain
{
    /// <summary>
    /// An outbound message has followed the customer's last inbound one, so the next is no longer "the reply". Not kept
    /// across activations: after one, the first outbound message may count as the reply once more.
    /// </summary>
    private bool _answeredSinceInbound;

    /// <summary>The events one stored message makes, in order; also moves the fast-reply state on.</summary>
    private void AddEngagements(List<ConversationEngagement> engagements, ChannelMessage message, string preview) =>
        AddEngagements(engagements, message.Direction == MessageDirection.Inbound, message.ExternalMessageId, message.OccurredAt, preview, message.Channel);

    private void AddEngagements(List<ConversationEngagement> engagements, bool inbound, string externalId, DateTimeOffset at, string preview, ChannelKind channel)
    {
        if (inbound)
        {
            _answeredSinceInbound = false;
            engagements.Add(new ConversationEngagement(ConversationEngagementKind.InboundMessage, _conversationId, externalId, at, preview, channel));
            return;
        }
        engagements.Add(new ConversationEngagement(ConversationEngagementKind.OutboundMessage, _conversationId, externalId, at, preview, channel));
        if (_answeredSinceInbound || _lastInboundAt is not { } lastInbound) return;
        _answeredSinceInbound = true;
        var after = at - lastInbound;
        if (after >= TimeSpan.Zero && after <= engagementSettings.Value.FastReplyWithin)
        {
            engagements.Add(new ConversationEngagement(ConversationEngagementKind.FastReply, _conversationId, externalId, at, preview, channel));
        }
    }

    /// <summary>
    /// One one-way call for all of them; nothing without a lead. The messages are stored whatever happens here, so a
    /// failure to send is logged, not thrown.
    /// </summary>
    private async Task TellLeadAsync(List<ConversationEngagement> engagements)
    {
        if (engagements.Count == 0 || state.State.LeadId is not { } leadId) return;
        try
        {
            // One-way: completes once the call is sent, without waiting for the lead's turn.
            await GrainFactory.GetGrain<ILeadGrain>(LeadKeys.GrainKey(_tenantId, leadId)).RecordConversationEngagements([.. engagements]);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not tell lead {LeadId} of {Count} event(s) of conversation {Key}", leadId, engagements.Count, this.GetPrimaryKeyString());
        }
    }

    public async Task ForgetLead(string leadId)
    {
        if (state.State.LeadId != leadId) return;
        state.State.LeadId = null;
        await state.WriteStateAsync();
    }

    /// <summary>The lead's row took the customer's new number under its grain, which must read it again.</summary>
    private async Task ReloadLeadAsync(string leadId)
    {
        try
        {
            await GrainFactory.GetGrain<ILeadGrain>(LeadKeys.GrainKey(_tenantId, leadId)).Reload();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not tell lead {LeadId} to reload", leadId);
        }
    }
}
