using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using Flexoraa.Channels;
using Flexoraa.Leads;
using Flexoraa.Media;
using Flexoraa.Realtime;
using Flexoraa.Streaming;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Flexoraa.Conversations;

/// <summary>
/// One contact on one channel account. It consumes its own <c>channel-inbound</c> stream: drops duplicates, stores
/// messages and statuses (through the silo's group-committing <see cref="InboxWriter"/>), tracks the 24-hour service
/// window and links the contact to a lead. A stream event is acknowledged only after its write has committed.
/// </summary>
[ImplicitStreamSubscription(StreamNamespaces.ChannelInbound)]
public sealed partial class ConversationGrain(
    [PersistentState("conversation", StorageProviders.Default)] IPersistentState<ConversationState> state,
    ConversationStores stores,
    IOptions<ReminderOptions> reminderOptions,
    IOptions<Flexoraa.Contacts.ContactProfileSettings> profileSettings,
    IOptions<Flexoraa.Leads.LeadEngagementSettings> engagementSettings,
    TimeProvider clock,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<InboundChannelEvent>, IRemindable
{
    /// <summary>Meta's customer-service window: free-form replies are allowed this long after the customer's last message.</summary>
    public static readonly TimeSpan ServiceWindow = ReplyWindow.ServiceWindow;

    private readonly RecentMessageIds _recent = new(capacity: 1024);
    private string _tenantId = "";
    private string _conversationId = "";
    private int _messagesInWindow;
    private DateTimeOffset? _lastInboundAt;

    /// <summary>Messages that reactions, edits or deletions wait for (<c>pending_message_changes</c>): their insert carries the apply.</summary>
    private readonly HashSet<string> _pendingChangeTargets = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _conversationId) = ConversationKeys.Parse(this.GetPrimaryKeyString());
        var activation = await stores.Conversations.ActivationAsync(_tenantId, _conversationId, cancellationToken);
        // Dedup and the service window survive reactivation; the workflow is the row's, as committed.
        foreach (var id in activation.RecentExternalIds) _recent.Add(id);
        _messagesInWindow = activation.RecentExternalIds.Count;
        _lastInboundAt = activation.LastInboundAt;
        _pendingChangeTargets.UnionWith(activation.PendingChangeTargets);
        _workflow = WithLegacySnooze(activation.Workflow);
        // A crash between storing a message and starting its media fetches leaves them pending; the redelivery that
        // reactivates this conversation restarts them (starting one that is already running is harmless). Replies whose
        // send was never started are picked up the same way.
        await StartMediaFetchesAsync(activation.PendingMedia);
        await ResumeUnfinishedRepliesAsync(activation.UnfinishedReplies);
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<InboundChannelEvent>().ResumeAsync(this);

    /// <summary>
    /// Takes what the pulling agent had queued for this conversation at once (up to the provider's delivery batch): all
    /// of its messages go to the <see cref="InboxWriter"/> together, so they share one commit instead of each waiting
    /// for its own, and the users hear of them in one publish. Events are applied in stream order.
    /// </summary>
    public async Task OnNextAsync(IList<SequentialItem<InboundChannelEvent>> items)
    {
        var updates = ImmutableArray.CreateBuilder<TenantUpdate>();
        var messages = new List<(InboundChannelEvent Item, ChannelMessage Message)>();
        try
        {
            foreach (var sequential in items)
            {
                var item = sequential.Item;
                if (item.TenantId != _tenantId)
                {
                    // Keys start with the tenant, so this can only be a bug upstream; never store across tenants.
                    logger.LogError("Dropped an event for tenant {EventTenant} delivered to conversation {Key}", item.TenantId, this.GetPrimaryKeyString());
                    continue;
                }
                var change = MessageChange.Of(item.Event);
                if (item.Event is ChannelMessage message && change is null)
                {
                    messages.Add((item, message));
                    continue;
                }
                // Statuses and changes may refer to the messages before them in the stream: store those first.
                await StoreMessagesAsync(messages, updates);
                messages.Clear();
                if (change is not null)
                {
                    await ApplyChangeAsync(item.Event.Channel, change, updates);
                    continue;
                }
                switch (item.Event)
                {
                    case ChannelStatusUpdate status:
                        var error = status.Errors.IsDefaultOrEmpty ? null : status.Errors[0];
                        if (await stores.Writer.WriteAsync(new ApplyStatusWrite(_tenantId, status.Channel, status.ExternalMessageId, status.Status, status.OccurredAt, error, status)))
                        {
                            updates.Add(new MessageStatusChanged(_tenantId, _conversationId, status.OccurredAt, status.ExternalMessageId, status.Status, error?.Code, error?.Title));
                        }
                        break;
                    case ChannelReceipt receipt:
                        await OnReceiptAsync(receipt, updates);
                        break;
                }
            }
            await StoreMessagesAsync(messages, updates);
        }
        finally
        {
            // What was stored before a failure is announced even though the delivery fails: its redelivery finds those
            // messages stored and would not announce them again.
            if (updates.Count > 0) await PublishAllAsync(updates.ToImmutable());
        }
    }

    /// <summary>
    /// Stores a run of messages in one group commit, then does for the new ones, in order, what a stored message needs:
    /// media fetches, the service window, the contact and lead on the grain state (one state write for the run, none when
    /// nothing in it changed) and the updates to publish. The reopen and a new contact's lead link ride in the same commit:
    /// the reopen in the statement of each customer message (it takes effect only for a new one), the link as a write
    /// right after the messages. If a write fails, the messages stored before it are still followed up, then the failure
    /// fails the delivery, and the stream redelivers the rest.
    /// </summary>
    private async Task StoreMessagesAsync(List<(InboundChannelEvent Item, ChannelMessage Message)> messages, ImmutableArray<TenantUpdate>.Builder updates)
    {
        if (messages.Count == 0) return;
        var closed = _workflow is { Status: ConversationStatus.Resolved or ConversationStatus.Snoozed };
        var appends = new List<(InboundChannelEvent Item, ChannelMessage Message, AppendMessageWrite Write)>(messages.Count);
        var inThisRun = new HashSet<string>(StringComparer.Ordinal);
        var searchConfig = await stores.SearchLanguages.OfAsync(_tenantId);
        foreach (var (item, message) in messages)
        {
            if (_recent.Contains(message.ExternalMessageId) || !inThisRun.Add(message.ExternalMessageId)) continue;
            if (await TakeOwnEchoAsync(message)) continue;
            var append = new AppendMessageWrite(_tenantId, _conversationId, item.ChannelAccountId, message)
            {
                Reopens = closed && message.Direction == MessageDirection.Inbound,
                SearchConfig = searchConfig,
            };
            // Changes that arrived before this message apply right after its insert, in the same commit.
            if (_pendingChangeTargets.Contains(message.ExternalMessageId)) append.Carry(new ApplyPendingChangesWrite(_tenantId, message.Channel, message.ExternalMessageId));
            appends.Add((item, message, append));
        }
        LeadLinkWrite? link = null;
        if (appends.Count > 0 && state.State.LeadId is null)
        {
            var (firstItem, first, _) = appends[0];
            link = ContactLeadLinks.Write(_tenantId, _conversationId, first.Channel, first.ContactId, first.ContactName is { Length: > 0 } named ? named : state.State.ContactName,
                PreviousConversationOf(firstItem, first));
            // Carried by the last message, so the link commits with the messages whichever batch they land in.
            appends[^1].Write.WithCarried().Last().Carry(link);
        }
        var pairs = NewContactIdPairs(messages);
        foreach (var pair in pairs)
        {
            // With the messages that taught it when there are any; a redelivery of stored ones still writes it.
            if (appends.Count > 0) appends[^1].Write.WithCarried().Last().Carry(pair);
            else await stores.Writer.SubmitAsync(pair);
        }
        foreach (var append in appends) await stores.Writer.SubmitAsync(append.Write);

        var stored = new List<(InboundChannelEvent Item, ChannelMessage Message, AppendMessageWrite Write)>(appends.Count);
        var appliedChanges = new Dictionary<string, ChangedMessage>(StringComparer.Ordinal);
        // Stored by an earlier delivery whose activation may have died before telling the lead: told again (the lead's
        // timeline keeps one entry per message, so this is at-least-once without doubles).
        var redelivered = new List<(InboundChannelEvent Item, ChannelMessage Message, AppendMessageWrite Write)>();
        Exception? failure = null;
        foreach (var append in appends)
        {
            try
            {
                if (await append.Write.Outcome) stored.Add(append);
                else if (append.Write.DeadLetterReason is null) redelivered.Add(append);
                _recent.Add(append.Message.ExternalMessageId);
                if (append.Write.CommitsWith is ApplyPendingChangesWrite pending)
                {
                    if (await pending.Outcome && pending.Changed is { } changed) appliedChanges[append.Message.ExternalMessageId] = changed;
                    _pendingChangeTargets.Remove(append.Message.ExternalMessageId);
                }
            }
            catch (Exception e)
            {
                failure = e;
                break;
            }
        }
        string? learnedUserId = null;
        foreach (var pair in pairs)
        {
            if (failure is not null) break;
            try
            {
                await pair.Outcome;
                if (pair.DeadLetterReason is null) learnedUserId = pair.UserId;
            }
            catch (Exception e)
            {
                failure = e;
            }
        }
        var linkedLead = await LinkedLeadAsync(link);
        if (link is { MovedPhone: true, LeadId: { } movedLead }) await ReloadLeadAsync(movedLead);
        // A row this conversation's first message created starts open, unassigned, untagged: no need to read it back.
        if (stored.Count > 0) _workflow ??= new ConversationWorkflowState(ConversationStatus.Open, null, null, []);

        // Before anything else that may throw: a redelivered event finds the message stored and would not start them.
        var media = stored.SelectMany(s => s.Write.Media.Select(m => m.Id)).ToList();
        if (media.Count > 0) await StartMediaFetchesAsync(media);

        var stateChanged = false;
        if (learnedUserId is not null)
        {
            state.State.ContactUserId = learnedUserId;
            stateChanged = true;
        }
        var needsAgent = false;
        var reopenTaken = false;
        var engagements = new List<ConversationEngagement>(stored.Count + redelivered.Count);
        foreach (var (_, message, append) in redelivered)
        {
            var inbound = message.Direction == MessageDirection.Inbound;
            engagements.Add(new ConversationEngagement(inbound ? ConversationEngagementKind.InboundMessage : ConversationEngagementKind.OutboundMessage, _conversationId,
                message.ExternalMessageId, message.OccurredAt, append.Preview, message.Channel));
        }
        foreach (var (item, message, append) in stored)
        {
            var inbound = message.Direction == MessageDirection.Inbound;
            var firstInbound = inbound && _lastInboundAt is null;
            _messagesInWindow++;
            if (inbound && (_lastInboundAt is null || message.OccurredAt > _lastInboundAt)) _lastInboundAt = message.OccurredAt;

            // The first stored customer message of a closed conversation is the one whose statement reopened it.
            var reopened = append.Reopens && !reopenTaken;
            if (reopened)
            {
                reopenTaken = true;
                await TakeReopenAsync();
            }
            var name = message.ContactName is { Length: > 0 } given ? given : state.State.ContactName;
            // A WhatsApp username comes with the webhook (the row takes it in the same statement); Instagram's from its profile.
            var username = message.ContactUsername ?? state.State.ContactUsername;
            if (state.State.Channel != message.Channel || state.State.ChannelAccountId != item.ChannelAccountId || state.State.ContactId != message.ContactId
                || state.State.ContactName != name || state.State.ContactUsername != username)
            {
                state.State.Channel = message.Channel;
                state.State.ChannelAccountId = item.ChannelAccountId;
                state.State.ContactId = message.ContactId;
                state.State.ContactName = name;
                state.State.ContactUsername = username;
                stateChanged = true;
            }
            if (state.State.LeadId is null)
            {
                if (linkedLead is null)
                {
                    var own = await stores.Leads.LinkAsync(_tenantId, _conversationId, message.Channel, message.ContactId, state.State.ContactName,
                        PreviousConversationOf(item, message));
                    if (own.Moved) await ReloadLeadAsync(own.LeadId);
                    linkedLead = own.LeadId;
                }
                state.State.LeadId = linkedLead;
                stateChanged = true;
            }
            AddEngagements(engagements, message, append.Preview);
            needsAgent |= firstInbound || reopened;

            updates.Add(new MessageReceived(_tenantId, _conversationId, message.OccurredAt, message.ExternalMessageId, message.Channel, message.Direction, message.Kind,
                message.ContactId, state.State.ContactName, message.Text, message.Content, append.StoredId, append.StoredAttachments, message.Reply?.MessageId));
            var applied = appliedChanges.GetValueOrDefault(message.ExternalMessageId);
            if (applied is not null) updates.Add(applied.ToUpdate(_tenantId, _conversationId, message.OccurredAt));
            // The changes that waited for the message (an edit, a deletion) already show in the row's preview.
            updates.Add(new ConversationUpdated(_tenantId, _conversationId, message.OccurredAt, state.State.Contact(), applied?.Preview ?? append.Preview,
                message.OccurredAt, _lastInboundAt + ServiceWindow, Status: reopened ? ConversationStatuses.Name(ConversationStatus.Open) : null,
                UnreadCount: append.UnreadCount));
        }
        if (stateChanged) await state.WriteStateAsync();
        await TellLeadAsync(engagements);
        if (stored.Any(s => s.Message.Direction == MessageDirection.Inbound)) AskForProfileIfStale();
        if (needsAgent) await ReportWorkloadAsync(needsAgent: true);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        await ContinueInNewNumbersAsync(messages);
    }

    /// <summary>
    /// The lead the batched link found or created; null when it lost a race or failed, and the link is then made on its
    /// own (<see cref="ContactLeadLinks.LinkAsync"/>).
    /// </summary>
    private async Task<string?> LinkedLeadAsync(LeadLinkWrite? link)
    {
        if (link is null) return null;
        try
        {
            return await link.Outcome ? link.LeadId : null;
        }
        catch (Exception e)
        {
            logger.LogInformation(e, "The batched lead link of conversation {Key} failed; linking on its own", this.GetPrimaryKeyString());
            return null;
        }
    }

    /// <summary>
    /// Tells the tenant's users. The message is already stored, so a failure here must not fail the stream event: a
    /// redelivery would be dropped as a duplicate anyway, and clients recover by resync or reload.
    /// </summary>
    private Task PublishAsync(params TenantUpdate[] updates) => PublishAllAsync([.. updates]);

    private async Task PublishAllAsync(ImmutableArray<TenantUpdate> updates)
    {
        try
        {
            // One-way and in one call: the message is stored, and the stream event should not wait for the tenant's
            // sequencer (the per-tenant hot spot) before the next event of this conversation can be delivered.
            await GrainFactory.GetGrain<ITenantUpdatesGrain>(_tenantId).PublishAll(updates);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not publish updates of conversation {Key}", this.GetPrimaryKeyString());
        }
    }

    /// <summary>
    /// A reaction, edit or deletion changes the message it targets; one whose message is not stored yet waits for it
    /// (see <see cref="ApplyPendingChangesWrite"/>). Users hear of the message's new state, and of the conversation's new
    /// preview when the message was its last.
    /// </summary>
    private async Task ApplyChangeAsync(ChannelKind channel, MessageChange change, ImmutableArray<TenantUpdate>.Builder updates)
    {
        var write = new ApplyMessageChangeWrite(_tenantId, _conversationId, channel, change);
        if (await stores.Writer.WriteAsync(write) && write.Changed is { } changed)
        {
            updates.Add(changed.ToUpdate(_tenantId, _conversationId, change.At));
            if (changed.PreviewUpdate(_tenantId, _conversationId, change.At) is { } preview) updates.Add(preview);
        }
        else if (write.Pending) _pendingChangeTargets.Add(change.TargetMessageId);
    }

    private async Task OnReceiptAsync(ChannelReceipt receipt, ImmutableArray<TenantUpdate>.Builder updates)
    {
        var status = receipt.Kind == ReceiptKind.Read ? DeliveryStatus.Read : DeliveryStatus.Delivered;
        if (!receipt.MessageIds.IsDefaultOrEmpty)
        {
            foreach (var id in receipt.MessageIds)
            {
                if (await stores.Writer.WriteAsync(new ApplyStatusWrite(_tenantId, receipt.Channel, id, status, receipt.OccurredAt)))
                {
                    updates.Add(new MessageStatusChanged(_tenantId, _conversationId, receipt.OccurredAt, id, status, null, null));
                }
            }
        }
        if (receipt.Watermark is { } watermark)
        {
            await stores.Writer.WriteAsync(new WatermarkReceiptWrite(_tenantId, _conversationId, status, watermark));
        }
    }

    public Task<ConversationSummary> Summary() => Task.FromResult(new ConversationSummary(
        _tenantId, _conversationId, state.State.Channel, state.State.ContactId, state.State.ContactName, state.State.LeadId,
        _messagesInWindow, _lastInboundAt, _lastInboundAt + ServiceWindow));

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        logger.LogWarning(ex, "Stream error in conversation {Key}", this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <summary>
    /// Media rows were committed with the message; a fetch only registers its reminder and returns, so the message is
    /// not held up by downloads. A fetch that cannot be started stays pending for the next activation to restart.
    /// </summary>
    private async Task StartMediaFetchesAsync(IEnumerable<string> mediaObjectIds)
    {
        await Task.WhenAll(mediaObjectIds.Select(async id =>
        {
            try
            {
                await GrainFactory.GetGrain<IMediaFetchGrain>(MediaObjectIds.GrainKey(_tenantId, id)).Start();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not start fetching media {MediaObjectId} of conversation {Key}", id, this.GetPrimaryKeyString());
            }
        }));
    }
}
