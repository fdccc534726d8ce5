using System.Collections.Immutable;
using Flexoraa.Leads.Scoring;
using Flexoraa.Realtime;
using Flexoraa.Tenants;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Flexoraa.Leads;

/// <summary>
/// One lead (see <see cref="ILeadGrain"/>). The lead lives in memory; its <c>leads</c> row is read on activation and
/// written, with the timeline entries the change makes, in one transaction before memory takes the change. The SDR rule
/// (own or unassigned leads only) is checked here, in the grain's turn, so it holds under concurrent requests.
/// The score is computed in memory on every change and engagement event (see <see cref="LeadScorer"/>) and written with
/// them; the threshold automations run after the commit, as changes of their own.
/// </summary>
public sealed partial class LeadGrain(LeadStore store, Flexoraa.Conversations.InboxWriter writer, TimeProvider clock, ILogger<LeadGrain> logger) : Grain, ILeadGrain
{
    private string _tenantId = "";
    private string _leadId = "";
    private Lead? _lead;
    private ImmutableArray<LeadEngagement> _events = [];
    private ScoringRules _rules = BuiltInScoringRules.Rules;

    /// <summary>Who a threshold automation acts as: nobody's user, and no SDR rule.</summary>
    private static readonly LeadActor Automation = new(null, false);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _leadId) = LeadKeys.Parse(this.GetPrimaryKeyString());
        await ReloadAsync();
        _rules = await RulesGrain.Get();
        // Scored under older rules (or never, as an imported row): rescore now rather than show a stale score.
        if (_lead is { } lead && lead.Score?.RulesVersion != _rules.Version) await SaveScoreAsync(now: clock.GetUtcNow());
    }

    public Task<Lead?> Get(LeadActor actor) => Task.FromResult(_lead is not null && Visible(_lead, actor) ? Scored(_lead, clock.GetUtcNow()) : null);

    public Task<LeadScoreBreakdown?> GetScore(LeadActor actor) =>
        Task.FromResult(_lead is not null && Visible(_lead, actor) ? LeadScorer.Evaluate(_lead, _events, _rules, clock.GetUtcNow()) : null);

    public Task RecordEngagement(LeadEngagement engagement) => ScoreEventsAsync([engagement]);

    /// <summary>Takes the events into the score at once: one score write, one announcement and one automation pass for all.</summary>
    private async Task ScoreEventsAsync(List<LeadEngagement> engagements)
    {
        if (_lead is null || engagements.Count == 0) return;
        var now = clock.GetUtcNow();
        _events = LeadScorer.Retained(_events.AddRange(engagements), _rules, now);
        var before = _lead.Score;
        await SaveScoreAsync(now);
        await AnnounceScoreAsync(before, now);
        await AutomateAsync();
    }

    public async Task Rescore()
    {
        _rules = await RulesGrain.Get();
        if (_lead is null) return;
        var now = clock.GetUtcNow();
        var before = _lead.Score;
        if (Scored(_lead, now).Score != before) await SaveScoreAsync(now);
        await AnnounceScoreAsync(before, now);
        await AutomateAsync();
    }

    public async Task<LeadChangeResult> Create(LeadChanges fields, LeadActor actor)
    {
        if (_lead is not null) return new LeadChangeResult(LeadChangeOutcome.Exists, Error: "A lead with this id exists.");
        var now = clock.GetUtcNow();
        var blank = new Lead(_leadId, null, null, null, null, null, null, null, LeadRules.DefaultSource, [], null, null, null,
            ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, LeadConsentStatus>.Empty, null, null, null, null, null, now, now, 1);
        var tenant = await TenantAsync();
        (fields, var customFailure) = await CheckCustomFieldsAsync(fields);
        if (customFailure is not null) return customFailure;
        if (!LeadRules.TryApply(blank, fields, Region(tenant), out var lead, out var field, out var error)) return LeadChangeResult.Invalid(field, error);
        if (await CheckOwnerAsync(blank, lead, actor) is { } refused) return refused;
        var (staged, stageFailure) = await StageAsync(blank, lead, tenant, forceDefault: true);
        if (stageFailure is not null) return stageFailure;
        lead = Scored(staged!, now);

        var created = new LeadActivity(0, _leadId, LeadActivityKind.Created, now, actor.UserId, null,
            ImmutableDictionary<string, string>.Empty.Add("source", lead.Source).Add("stageId", lead.StageId ?? ""));
        try
        {
            await using var session = await store.BeginAsync(_tenantId);
            if (!await LeadStore.InsertAsync(session, lead)) return new LeadChangeResult(LeadChangeOutcome.Exists, Error: "A lead with this id exists.");
            await LeadScoreStore.WriteAsync(session, _leadId, lead.Version, lead.Score!, _events, now);
            var activities = await LeadStore.AppendAsync(session, [created], actor);
            await session.CommitAsync();
            _lead = lead;
            await PublishAsync(new LeadChanged(_tenantId, now, _leadId, "created", lead, [], activities[0]));
            await AutomateAsync();
            return LeadChangeResult.Changed(_lead, activities[0]);
        }
        catch (PostgresException e) when (LeadStore.ConflictingField(e) is { } conflicting)
        {
            return LeadChangeResult.Conflict(conflicting, $"Another lead of this tenant already has this {conflicting}.");
        }
    }

    public async Task<LeadChangeResult> Update(LeadChanges changes, long? expectedVersion, LeadActor actor)
    {
        var result = await UpdateCoreAsync(changes, expectedVersion, actor, audit: null);
        if (result.Outcome != LeadChangeOutcome.Changed || result.Lead is null) return result;
        await AutomateAsync();
        return _lead is { } lead && Visible(lead, actor) ? LeadChangeResult.Changed(Scored(lead, clock.GetUtcNow())) : result;
    }

    /// <summary>
    /// A change of profile or stage; <paramref name="audit"/> joins the details of its timeline entries when an
    /// automation makes it, so the timeline says which rule moved the lead and at what score.
    /// </summary>
    private async Task<LeadChangeResult> UpdateCoreAsync(LeadChanges changes, long? expectedVersion, LeadActor actor, ImmutableDictionary<string, string>? audit)
    {
        if (_lead is not { } current || !Visible(current, actor)) return LeadChangeResult.NotFound;
        if (expectedVersion is { } expected && expected != current.Version) return LeadChangeResult.VersionMismatch(current);
        var tenant = await TenantAsync();
        (changes, var customFailure) = await CheckCustomFieldsAsync(changes);
        if (customFailure is not null) return customFailure;
        if (!LeadRules.TryApply(current, changes, Region(tenant), out var next, out var field, out var error)) return LeadChangeResult.Invalid(field, error);
        if (await CheckOwnerAsync(current, next, actor) is { } refused) return refused;
        var (staged, stageFailure) = await StageAsync(current, next, tenant, forceDefault: false);
        if (stageFailure is not null) return stageFailure;
        next = staged!;

        var fields = LeadRules.ChangedFields(current, next);
        if (fields.IsEmpty) return LeadChangeResult.Changed(current);
        var now = clock.GetUtcNow();
        next = Scored(next with { UpdatedAt = now, Version = current.Version + 1 }, now);

        var activities = new List<LeadActivity>(2);
        if (fields.Contains("stageId") || fields.Contains("pipelineId"))
        {
            var details = ImmutableDictionary<string, string>.Empty
                .Add("fromStageId", current.StageId ?? "").Add("toStageId", next.StageId ?? "")
                .Add("fromPipelineId", current.PipelineId ?? "").Add("pipelineId", next.PipelineId ?? "");
            if (next.WonValue is { } value && fields.Contains("stageId")) details = details.Add("wonValue", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (next.LostReason is { } reason && fields.Contains("stageId")) details = details.Add("lostReason", reason);
            activities.Add(new LeadActivity(0, _leadId, LeadActivityKind.StageChanged, now, actor.UserId, null, details.SetItems(audit ?? [])));
        }
        var other = fields.Where(f => f is not ("stageId" or "pipelineId")).ToList();
        if (other.Count > 0)
        {
            activities.Add(new LeadActivity(0, _leadId, LeadActivityKind.FieldsChanged, now, actor.UserId, null,
                ImmutableDictionary<string, string>.Empty.Add("fields", string.Join(',', other)).SetItems(audit ?? [])));
        }
        try
        {
            await using var session = await store.BeginAsync(_tenantId);
            if (!await LeadStore.UpdateAsync(session, next, current.Version))
            {
                // Another activation (a partition) or a direct write moved the row: what this one holds is stale.
                await ReloadAsync();
                return _lead is { } moved ? LeadChangeResult.VersionMismatch(moved) : LeadChangeResult.NotFound;
            }
            await LeadScoreStore.WriteAsync(session, _leadId, next.Version, next.Score!, _events, now);
            var stored = await LeadStore.AppendAsync(session, activities, actor);
            await session.CommitAsync();
            _lead = next;
            await PublishAsync(new LeadChanged(_tenantId, now, _leadId, "updated", next, fields, stored.LastOrDefault()));
            return LeadChangeResult.Changed(next);
        }
        catch (PostgresException e) when (LeadStore.ConflictingField(e) is { } conflicting)
        {
            return LeadChangeResult.Conflict(conflicting, $"Another lead of this tenant already has this {conflicting}.");
        }
    }

    public async Task<LeadChangeResult> Delete(long? expectedVersion, LeadActor actor)
    {
        if (_lead is not { } current || !Visible(current, actor)) return LeadChangeResult.NotFound;
        if (expectedVersion is { } expected && expected != current.Version) return LeadChangeResult.VersionMismatch(current);
        IReadOnlyList<string> unlinked;
        await using (var session = await store.BeginAsync(_tenantId))
        {
            if (await LeadStore.DeleteAsync(session, _leadId, current.Version) is not { } conversations)
            {
                await ReloadAsync();
                return _lead is { } moved ? LeadChangeResult.VersionMismatch(moved) : LeadChangeResult.NotFound;
            }
            await session.CommitAsync();
            unlinked = conversations;
        }
        _lead = null;
        // Their grains would otherwise go on sending this lead their engagement events.
        foreach (var conversationId in unlinked)
        {
            await GrainFactory.GetGrain<Flexoraa.Conversations.IConversationGrain>(Flexoraa.Conversations.ConversationKeys.GrainKey(_tenantId, conversationId)).ForgetLead(_leadId);
        }
        await PublishAsync(new LeadChanged(_tenantId, clock.GetUtcNow(), _leadId, "deleted", null, []));
        DeactivateOnIdle();
        return LeadChangeResult.Changed(null);
    }

    public async Task<LeadChangeResult> LogActivity(LogLeadActivity activity, LeadActor actor)
    {
        if (_lead is not { } current || !Visible(current, actor)) return LeadChangeResult.NotFound;
        if (activity.Kind is not (LeadActivityKind.Note or LeadActivityKind.Call or LeadActivityKind.Meeting))
        {
            return LeadChangeResult.Invalid("kind", "Only a note, a call or a meeting can be logged.");
        }
        var details = ImmutableDictionary<string, string>.Empty;
        if (activity.DurationSeconds is { } seconds) details = details.Add("durationSeconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (activity.Outcome is { } outcome) details = details.Add("outcome", outcome);
        var now = clock.GetUtcNow();
        var entry = new LeadActivity(0, _leadId, activity.Kind, activity.OccurredAt ?? now, actor.UserId, activity.Body, details);
        ImmutableArray<LeadActivity> stored;
        ImmutableArray<LeadEngagement> events;
        Lead scored;
        await using (var session = await store.BeginAsync(_tenantId))
        {
            stored = await LeadStore.AppendAsync(session, [entry], actor);
            // A logged call, meeting or note is engagement too; it scores with the entry it came from.
            var engagement = new LeadEngagement(activity.Kind switch
            {
                LeadActivityKind.Call => EngagementKind.CallLogged,
                LeadActivityKind.Meeting => EngagementKind.MeetingLogged,
                _ => EngagementKind.NoteLogged,
            }, entry.OccurredAt, "activity:" + stored[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            events = LeadScorer.Retained(_events.Add(engagement), _rules, now);
            scored = Scored(current, now, events);
            await LeadScoreStore.WriteAsync(session, _leadId, current.Version, scored.Score!, events, now);
            await session.CommitAsync();
        }
        _events = events;
        _lead = scored;
        await PublishAsync(new LeadChanged(_tenantId, now, _leadId, "activityLogged", scored, [], stored[0]));
        await AutomateAsync();
        return LeadChangeResult.Changed(_lead is { } lead && Visible(lead, actor) ? lead : scored, stored[0]);
    }

    private static bool Visible(Lead lead, LeadActor actor) => !actor.OwnWorkOnly || lead.OwnerUserId is null || lead.OwnerUserId == actor.UserId;

    /// <summary>The owner must be a member; an SDR may only make themselves the owner.</summary>
    private async Task<LeadChangeResult?> CheckOwnerAsync(Lead before, Lead after, LeadActor actor)
    {
        if (after.OwnerUserId == before.OwnerUserId || after.OwnerUserId is not { } owner) return null;
        if (actor.OwnWorkOnly && owner != actor.UserId) return LeadChangeResult.Forbidden("You may only make yourself the owner of a lead.");
        return await GrainFactory.GetGrain<ITenantGrain>(_tenantId).GetMember(owner) is null
            ? LeadChangeResult.Invalid("ownerUserId", "The owner must be a member of this tenant.")
            : null;
    }

    /// <summary>
    /// Checks the pipeline and stage after a change: a new lead, or one given a pipeline without a stage, starts in the
    /// pipeline's first stage; a stage must belong to the lead's pipeline; reaching a won stage needs <c>wonValue</c>
    /// (its currency defaults to the tenant's) and reaching a lost stage needs <c>lostReason</c>.
    /// </summary>
    private async Task<(Lead? Lead, LeadChangeResult? Failure)> StageAsync(Lead before, Lead after, TenantSnapshot? tenant, bool forceDefault)
    {
        var moved = forceDefault || after.PipelineId != before.PipelineId || after.StageId != before.StageId;
        // Clearing the value of a won lead, or the reason of a lost one, is checked like reaching that stage.
        var clearsOutcome = (before.WonValue is not null && after.WonValue is null) || (before.LostReason is not null && after.LostReason is null);
        if (!moved && !clearsOutcome) return (after, null);
        var pipelines = await GrainFactory.GetGrain<IPipelinesGrain>(_tenantId).List();
        Pipeline? pipeline;
        if (after.PipelineId is { } pipelineId)
        {
            pipeline = pipelines.FirstOrDefault(p => p.Id == pipelineId);
            if (pipeline is null) return (null, LeadChangeResult.Invalid("pipelineId", $"The tenant has no pipeline '{pipelineId}'."));
        }
        else if (after.StageId is null && !forceDefault)
        {
            // Taken out of every pipeline.
            return (after with { StageId = null }, null);
        }
        else pipeline = pipelines.FirstOrDefault();
        if (pipeline is null) return (null, LeadChangeResult.Invalid("pipelineId", "The tenant has no pipeline."));

        // A new pipeline without a stage of it means its first stage.
        var stageId = after.StageId;
        if (stageId is null || (after.PipelineId != before.PipelineId && after.StageId == before.StageId && pipeline.Stage(stageId) is null)) stageId = pipeline.Stages[0].Id;
        if (pipeline.Stage(stageId) is not { } stage)
        {
            return (null, LeadChangeResult.Invalid("stageId", $"Pipeline '{pipeline.Name}' has no stage '{stageId}'; its stages are {string.Join(", ", pipeline.Stages.Select(s => s.Id))}."));
        }
        var staged = after with { PipelineId = pipeline.Id, StageId = stage.Id };
        if (stage.Kind == PipelineStageKind.Won)
        {
            if (staged.WonValue is null) return (null, LeadChangeResult.Invalid("wonValue", $"A lead in '{stage.Name}' needs wonValue: the deal's value in the smallest currency unit."));
            staged = staged with { WonCurrency = staged.WonCurrency ?? tenant?.Profile.Currency };
        }
        if (stage.Kind == PipelineStageKind.Lost && staged.LostReason is null)
        {
            return (null, LeadChangeResult.Invalid("lostReason", $"A lead in '{stage.Name}' needs lostReason."));
        }
        return (staged, null);
    }

    private Task<TenantSnapshot?> TenantAsync() => GrainFactory.GetGrain<ITenantGrain>(_tenantId).Get();

    /// <summary>How a phone number without a country code is read: the tenant's default region, else its country.</summary>
    private static string Region(TenantSnapshot? tenant) => tenant?.Settings.DefaultRegion ?? tenant?.Profile.Country ?? "IN";

    /// <summary>The row changed under the grain (an import merged into it): its fields may score differently now.</summary>
    public async Task Reload()
    {
        await ReloadAsync();
        if (_lead is not null) await SaveScoreAsync(clock.GetUtcNow());
    }

    /// <summary>
    /// Takes the queued runs of conversations' events in one write that rides the silo's group commit: their messages become
    /// <c>message</c> entries of the timeline, and the score they give is written with them (see
    /// <see cref="LeadEngagementWrite"/>). A message the timeline has already (and a fast reply to it) was delivered before
    /// and is scored once: when the write finds such repeats, the lead scores again without them.
    /// <para>
    /// The timeline entries publish no <c>LeadChanged</c>: the conversation announces its messages itself (a changed score
    /// is announced by <see cref="AnnounceScoreAsync"/>).
    /// </para>
    /// </summary>
    private async Task WriteEngagementsAsync(ImmutableArray<ConversationEngagement> engagements)
    {
        // A lead deleted while its conversations still name it (their grain state) takes nothing.
        if (_lead is not { } lead || engagements.IsDefaultOrEmpty) return;
        var now = clock.GetUtcNow();
        var messages = engagements
            .Where(e => e.Kind is ConversationEngagementKind.InboundMessage or ConversationEngagementKind.OutboundMessage && e.MessageExternalId is not null)
            .DistinctBy(e => e.MessageExternalId, StringComparer.Ordinal)
            .ToList();
        var events = LeadScorer.Retained(_events.AddRange(Scorable(engagements)), _rules, now);
        var scored = Scored(lead, now, events);
        var write = new LeadEngagementWrite(_tenantId, _leadId, lead.Version, messages, ScoreColumns.Of(scored.Score!, events, now));
        try
        {
            await writer.WriteAsync(write);
        }
        catch (Exception e)
        {
            // One-way: nobody waits to be told. The messages themselves are stored; only their timeline entries and score are missing.
            logger.LogWarning(e, "Could not record {Count} event(s) on lead {Key}", engagements.Length, this.GetPrimaryKeyString());
            return;
        }
        if (write.DeadLetterReason is not null) return;

        if (write.Recorded.Count < messages.Count)
        {
            var fresh = engagements.Where(e => e.MessageExternalId is null || write.Recorded.Contains(e.MessageExternalId)
                || e.Kind is not (ConversationEngagementKind.InboundMessage or ConversationEngagementKind.OutboundMessage or ConversationEngagementKind.FastReply));
            _events = LeadScorer.Retained(_events.AddRange(Scorable(fresh)), _rules, now);
            await SaveScoreAsync(now);
        }
        else if (!write.Scored)
        {
            // The row moved under the lead (an import merged into it) or is gone: read it again and score that.
            _events = events;
            await SaveScoreAsync(now);
        }
        else
        {
            _events = events;
            _lead = scored;
        }
        await AnnounceScoreAsync(lead.Score, now);
        await AutomateAsync();
    }

    /// <summary>Outbound messages are on the timeline but score nothing by themselves; a fast reply does.</summary>
    private static IEnumerable<LeadEngagement> Scorable(IEnumerable<ConversationEngagement> engagements) => engagements.Select(e => e.Kind switch
    {
        ConversationEngagementKind.InboundMessage => new LeadEngagement(EngagementKind.InboundMessage, e.OccurredAt, "conversation:" + e.ConversationId),
        ConversationEngagementKind.FastReply => new LeadEngagement(EngagementKind.FastReply, e.OccurredAt, "conversation:" + e.ConversationId),
        ConversationEngagementKind.ConversationResolved => new LeadEngagement(EngagementKind.ConversationResolved, e.OccurredAt, "conversation:" + e.ConversationId),
        _ => null,
    }).OfType<LeadEngagement>();

    private async Task ReloadAsync()
    {
        _lead = await store.LoadAsync(_tenantId, _leadId);
        if (_lead is null) return;
        await using var session = await store.BeginAsync(_tenantId);
        _events = await LeadScoreStore.LoadEventsAsync(session, _leadId);
    }

    private IScoringRulesGrain RulesGrain => GrainFactory.GetGrain<IScoringRulesGrain>(_tenantId);

    private Lead Scored(Lead lead, DateTimeOffset now, ImmutableArray<LeadEngagement>? events = null) =>
        lead with { Score = LeadScorer.Evaluate(lead, events ?? _events, _rules, now).Summary };

    /// <summary>
    /// Writes the score as of <paramref name="now"/> with the events, without moving the lead's version. When the row has
    /// moved (an import updated it), the lead reads it again and scores that.
    /// </summary>
    private async Task SaveScoreAsync(DateTimeOffset now)
    {
        for (var attempt = 0; attempt < 2 && _lead is { } lead; attempt++)
        {
            var scored = Scored(lead, now);
            await using var session = await store.BeginAsync(_tenantId);
            if (await LeadScoreStore.WriteAsync(session, _leadId, lead.Version, scored.Score!, _events, now))
            {
                await session.CommitAsync();
                _lead = scored;
                return;
            }
            var events = _events;
            await ReloadAsync();
            // Keep an event that this activation took in but could not write.
            _events = LeadScorer.Retained(_events.Union(events), _rules, now);
        }
    }

    /// <summary>
    /// Runs the threshold automations on the score as of now: moves the lead forward to the furthest stage whose
    /// threshold it reaches, and gives an unowned lead to the next SDR when the rule says so. Audited on the timeline.
    /// A failure leaves the lead where it is; the next event or rescore tries again.
    /// </summary>
    private async Task AutomateAsync()
    {
        if (_lead is not { } lead || _rules.Automations.IsDefaultOrEmpty) return;
        try
        {
            var total = Scored(lead, clock.GetUtcNow()).Score!.Total;
            // Most events leave the total under every threshold: no need to ask for the pipelines then.
            if (!_rules.Automations.Any(a => total >= a.MinTotal)) return;
            var pipelines = await GrainFactory.GetGrain<IPipelinesGrain>(_tenantId).List();
            if (StageAdvance.Decide(lead, total, _rules.Automations, pipelines) is not { } decision) return;
            var changes = new LeadChanges(StageId: decision.Automation.StageId);
            if (decision.Automation.AssignNextSdr && lead.OwnerUserId is null && await RulesGrain.NextSdr() is { } sdr) changes = changes with { OwnerUserId = sdr };
            var audit = ImmutableDictionary<string, string>.Empty
                .Add("automation", $"automations[{decision.Index}]")
                .Add("score", total.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("rulesVersion", _rules.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var result = await UpdateCoreAsync(changes, lead.Version, Automation, audit);
            if (result.Outcome != LeadChangeOutcome.Changed) logger.LogInformation("Automation {Rule} did not move lead {Key}: {Outcome} {Error}", decision.Index, this.GetPrimaryKeyString(), result.Outcome, result.Error);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The scoring automations of lead {Key} failed", this.GetPrimaryKeyString());
        }
    }

    /// <summary>The change has committed; a failure to announce it must not fail the request. Clients recover by resync.</summary>
    private async Task PublishAsync(LeadChanged update)
    {
        try
        {
            await GrainFactory.GetGrain<ITenantUpdatesGrain>(_tenantId).Publish(update);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not publish the change of lead {Key}", this.GetPrimaryKeyString());
        }
    }
}
