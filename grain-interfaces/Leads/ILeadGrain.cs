namespace Flexoraa.Leads;

/// <summary>
/// One lead, the source of truth for its profile and pipeline stage. Key: <see cref="LeadKeys.GrainKey"/>. Every change
/// writes the <c>leads</c> row and its timeline entries in one transaction, takes the result into memory only after the
/// commit, and publishes a <c>LeadChanged</c> tenant update. Commands run one at a time, so of two changes made against
/// the same version one applies and the other is a <see cref="LeadChangeOutcome.VersionMismatch"/>.
/// </summary>
[Alias("Flexoraa.Leads.ILeadGrain")]
public interface ILeadGrain : IGrainWithStringKey
{
    /// <summary>Creates the lead in the tenant's default pipeline's first stage unless another is given.</summary>
    [Alias("Create")]
    Task<LeadChangeResult> Create(LeadChanges fields, LeadActor actor);

    /// <summary>The lead, or null when it does not exist or the actor may not see it.</summary>
    [Alias("Get")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Get is a keyword only in Visual Basic, and no Visual Basic code calls grains.")]
    Task<Lead?> Get(LeadActor actor);

    /// <summary>Applies the patch if the lead is still at <paramref name="expectedVersion"/> (null: whatever its version).</summary>
    [Alias("Update")]
    Task<LeadChangeResult> Update(LeadChanges changes, long? expectedVersion, LeadActor actor);

    [Alias("Delete")]
    Task<LeadChangeResult> Delete(long? expectedVersion, LeadActor actor);

    /// <summary>Logs a note, call or meeting; the lead's version does not move (its profile did not change).</summary>
    [Alias("LogActivity")]
    Task<LeadChangeResult> LogActivity(LogLeadActivity activity, LeadActor actor);

    /// <summary>
    /// An engagement event (a message, a resolved conversation, a campaign reply, the AI's qualification): the lead
    /// rescores in memory at once, writes its score with the event, and runs the threshold automations.
    /// </summary>
    [Alias("RecordEngagement"), Orleans.Concurrency.OneWay]
    Task RecordEngagement(Scoring.LeadEngagement engagement);

    /// <summary>The score as of now with every rule that gave points; null when the lead does not exist or the actor may not see it.</summary>
    [Alias("GetScore")]
    Task<Scoring.LeadScoreBreakdown?> GetScore(LeadActor actor);

    /// <summary>Rescores under the tenant's current rules (the rules grain's pass calls it after a change); cheap when nothing changed.</summary>
    [Alias("Rescore")]
    Task Rescore();

    /// <summary>
    /// Merges <paramref name="sourceLeadId"/> into this lead in one transaction: this lead keeps its fields and fills the
    /// empty ones from the source, tags are united, the source's timeline and conversations move here, and the source is
    /// deleted. <paramref name="expectedVersion"/> is this lead's If-Match (null: any).
    /// </summary>
    [Alias("MergeFrom")]
    Task<LeadChangeResult> MergeFrom(string sourceLeadId, long? expectedVersion, LeadActor actor);

    /// <summary>Reads the row again: a bulk write (an import) changed it without going through this grain.</summary>
    [Alias("Reload"), Orleans.Concurrency.OneWay]
    Task Reload();

    /// <summary>
    /// The events of one run of a conversation's messages (see <see cref="ConversationEngagement"/>), in order, in one
    /// call: what the conversation's hot path sends, so a burst of messages costs the lead one call, one timeline
    /// statement (in the silo's group commit) and one score write rather than one of each per message. Messages become
    /// <c>message</c> entries of the timeline; inbound messages, fast replies and resolves that are new to the lead are
    /// scored as <see cref="RecordEngagement"/> scores its event. One-way: the conversation does not wait for the lead.
    /// <para>
    /// Interleaved: the call only joins the lead's queue of such runs, and one turn of
    /// <see cref="WriteQueuedEngagements"/> writes everything queued by then. A lead with many busy conversations so
    /// writes once per group commit, not once per run, and runs do not queue up behind each other's writes.
    /// </para>
    /// </summary>
    [Alias("RecordConversationEngagements"), Orleans.Concurrency.OneWay, Orleans.Concurrency.AlwaysInterleave]
    Task RecordConversationEngagements(System.Collections.Immutable.ImmutableArray<ConversationEngagement> engagements);

    /// <summary>
    /// The lead's own turn that writes the runs <see cref="RecordConversationEngagements"/> queued; the lead calls it on
    /// itself. Nothing queued: nothing to do, so a stray call is harmless.
    /// </summary>
    [Alias("WriteQueuedEngagements"), Orleans.Concurrency.OneWay]
    Task WriteQueuedEngagements();
}
