namespace Flexoraa.Conversations;

/// <summary>The inbox's unit of work: one contact on one channel account. Key: <see cref="ConversationKeys.GrainKey(string, string)"/>.</summary>
[Alias("Flexoraa.Conversations.IConversationGrain")]
public interface IConversationGrain : IGrainWithStringKey
{
    [Alias("Summary")]
    Task<ConversationSummary> Summary();

    /// <summary>
    /// Validates the whole change, then writes it and its audit entries in one transaction, then announces it in one
    /// publish. Nothing applies when any part is refused or the write fails. Snoozing registers a reminder that reopens
    /// the conversation when the snooze ends.
    /// </summary>
    [Alias("Apply")]
    Task<ConversationChangeResult> Apply(ConversationChange change);

    [Alias("Workflow")]
    Task<ConversationWorkflow?> Workflow();

    /// <summary>
    /// An agent's or API client's reply: checks the SDR rule, the idempotency key and the channel's messaging window in
    /// this grain's single-threaded turn, commits the message as <c>queued</c>, and hands the send to its
    /// <see cref="Flexoraa.Outbound.IOutboundMessageGrain"/> without waiting for Meta.
    /// </summary>
    [Alias("Reply")]
    Task<Flexoraa.Outbound.ReplyResult> Reply(Flexoraa.Outbound.OutboundReply request);

    /// <summary>What Meta answered for one of this conversation's replies; idempotent.</summary>
    [Alias("RecordOutboundOutcome")]
    Task RecordOutboundOutcome(Flexoraa.Outbound.OutboundOutcome outcome);

    /// <summary>
    /// Auto-assignment's offer: assigns <paramref name="userId"/> through <see cref="Apply"/> (actor: the system) only if
    /// the conversation is still unassigned and open or pending. Answers the conversation's workload afterwards.
    /// </summary>
    [Alias("AutoAssign")]
    Task<Flexoraa.Assignment.ConversationWorkload> AutoAssign(string userId);

    /// <summary>
    /// Stores a private note (direction <c>note</c>) after the SDR rule, with its audit entry in the same transaction, and
    /// announces it to the tenant. The note does not move the preview, unread count or service window.
    /// </summary>
    [Alias("AddNote")]
    Task<ConversationNoteResult> AddNote(AddConversationNote request);

    /// <summary>
    /// A profile look-up's outcome (<see cref="Flexoraa.Contacts.IContactProfileGrain"/>): written to the state and the
    /// <c>conversations</c> row, and announced as a <c>ConversationUpdated</c> when it changed what users see.
    /// </summary>
    [Alias("ApplyContactProfile")]
    Task ApplyContactProfile(Flexoraa.Contacts.ContactProfile profile);

    /// <summary>
    /// Tells this conversation that it continues <paramref name="previousConversationId"/> (the customer's old number's,
    /// whose <c>user_changed_number</c> system message named this one's number): its row links to it and it takes that
    /// conversation's lead. Idempotent; the first link wins.
    /// </summary>
    [Alias("ContinueFrom")]
    Task ContinueFrom(string previousConversationId);

    /// <summary>
    /// The lead <paramref name="leadId"/> was deleted (its row already unlinked this conversation's): the conversation
    /// stops sending it engagement events. Its next message finds or creates a lead as a new contact's would.
    /// </summary>
    [Alias("ForgetLead"), Orleans.Concurrency.OneWay]
    Task ForgetLead(string leadId);
}
