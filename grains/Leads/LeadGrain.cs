using System.Collections.Immutable;
using Flexoraa.Realtime;
using Flexoraa.Tenants;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Flexoraa.Leads;

/// <summary>
/// One lead (see <see cref="ILeadGrain"/>). The lead lives in memory; its <c>leads</c> row is read on activation and
/// written, with the timeline entries the change makes, in one transaction before memory takes the change. The SDR rule
/// (own or unassigned leads only) is checked here, in the grain's turn, so it holds under concurrent requests.
/// </summary>
public sealed class LeadGrain(LeadStore store, Flexoraa.Conversations.InboxWriter writer, TimeProvider clock, ILogger<LeadGrain> logger) : Grain, ILeadGrain
{
    private string _tenantId = "";
    private string _leadId = "";
    private Lead? _lead;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _leadId) = LeadKeys.Parse(this.GetPrimaryKeyString());
        _lead = await store.LoadAsync(_tenantId, _leadId, cancellationToken);
    }

    public Task<Lead?> Get(LeadActor actor) => Task.FromResult(_lead is not null && Visible(_lead, actor) ? _lead : null);

    public async Task<LeadChangeResult> Create(LeadChanges fields, LeadActor actor)
    {
        if (_lead is not null) return new LeadChangeResult(LeadChangeOutcome.Exists, Error: "A lead with this id exists.");
        var now = clock.GetUtcNow();
        var blank = new Lead(_leadId, null, null, null, null, null, null, null, LeadRules.DefaultSource, [], null, null, null,
            ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, LeadConsentStatus>.Empty, null, null, null, null, null, now, now, 1);
        var tenant = await TenantAsync();
        if (!LeadRules.TryApply(blank, fields, Region(tenant), out var lead, out var field, out var error)) return LeadChangeResult.Invalid(field, error);
        if (await CheckOwnerAsync(blank, lead, actor) is { } refused) return refused;
        var (staged, stageFailure) = await StageAsync(blank, lead, tenant, forceDefault: true);
        if (stageFailure is not null) return stageFailure;
        lead = staged!;

        var created = new LeadActivity(0, _leadId, LeadActivityKind.Created, now, actor.UserId, null,
            ImmutableDictionary<string, string>.Empty.Add("source", lead.Source).Add("stageId", lead.StageId ?? ""));
        try
        {
            await using var session = await store.BeginAsync(_tenantId);
            if (!await LeadStore.InsertAsync(session, lead)) return new LeadChangeResult(LeadChangeOutcome.Exists, Error: "A lead with this id exists.");
            var activities = await LeadStore.AppendAsync(session, [created], actor);
            await session.CommitAsync();
            _lead = lead;
            await PublishAsync(new LeadChanged(_tenantId, now, _leadId, "created", lead, [], activities[0]));
            return LeadChangeResult.Changed(lead, activities[0]);
        }
        catch (PostgresException e) when (LeadStore.ConflictingField(e) is { } conflicting)
        {
            return LeadChangeResult.Conflict(conflicting, $"Another lead of this tenant already has this {conflicting}.");
        }
    }

    public async Task<LeadChangeResult> Update(LeadChanges changes, long? expectedVersion, LeadActor actor)
    {
        if (_lead is not { } current || !Visible(current, actor)) return LeadChangeResult.NotFound;
        if (expectedVersion is { } expected && expected != current.Version) return LeadChangeResult.VersionMismatch(current);
        var tenant = await TenantAsync();
        if (!LeadRules.TryApply(current, changes, Region(tenant), out var next, out var field, out var error)) return LeadChangeResult.Invalid(field, error);
        if (await CheckOwnerAsync(current, next, actor) is { } refused) return refused;
        var (staged, stageFailure) = await StageAsync(current, next, tenant, forceDefault: false);
        if (stageFailure is not null) return stageFailure;
        next = staged!;

        var fields = LeadRules.ChangedFields(current, next);
        if (fields.IsEmpty) return LeadChangeResult.Changed(current);
        var now = clock.GetUtcNow();
        next = next with { UpdatedAt = now, Version = current.Version + 1 };

        var activities = new List<LeadActivity>(2);
        if (fields.Contains("stageId") || fields.Contains("pipelineId"))
        {
            var details = ImmutableDictionary<string, string>.Empty
                .Add("fromStageId", current.StageId ?? "").Add("toStageId", next.StageId ?? "")
                .Add("fromPipelineId", current.PipelineId ?? "").Add("pipelineId", next.PipelineId ?? "");
            if (next.WonValue is { } value && fields.Contains("stageId")) details = details.Add("wonValue", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (next.LostReason is { } reason && fields.Contains("stageId")) details = details.Add("lostReason", reason);
            activities.Add(new LeadActivity(0, _leadId, LeadActivityKind.StageChanged, now, actor.UserId, null, details));
        }
        var other = fields.Where(f => f is not ("stageId" or "pipelineId")).ToList();
        if (other.Count > 0)
        {
            activities.Add(new LeadActivity(0, _leadId, LeadActivityKind.FieldsChanged, now, actor.UserId, null,
                ImmutableDictionary<string, string>.Empty.Add("fields", string.Join(',', other))));
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
        await using (var session = await store.BeginAsync(_tenantId))
        {
            stored = await LeadStore.AppendAsync(session, [entry], actor);
            await session.CommitAsync();
        }
        await PublishAsync(new LeadChanged(_tenantId, now, _leadId, "activityLogged", current, [], stored[0]));
        return LeadChangeResult.Changed(current, stored[0]);
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

    public Task Reload() => ReloadAsync();

    public Task RecordEngagement(LeadEngagement engagement) => TakeEngagementsAsync([engagement]);

    public Task RecordEngagements(ImmutableArray<LeadEngagement> engagements) => TakeEngagementsAsync(engagements.IsDefault ? [] : engagements);

    /// <summary>
    /// Takes a conversation's events: its messages become <c>message</c> entries of the timeline, in one statement that
    /// rides the silo's group commit. Answers the events that are new to this lead, in order: a message (and a fast reply
    /// to it) whose entry the timeline had already was delivered before, and counts once. Scoring takes what this answers.
    /// <para>
    /// No <c>LeadChanged</c> is published: the lead's profile did not change, and the conversation announces its messages
    /// itself; one more publish per run would double the load on the tenant's update sequencer.
    /// </para>
    /// </summary>
    private async Task<IReadOnlyList<LeadEngagement>> TakeEngagementsAsync(IReadOnlyList<LeadEngagement> engagements)
    {
        // A lead deleted while its conversations still name it (their grain state) takes nothing.
        if (_lead is null || engagements.Count == 0) return [];
        var messages = engagements
            .Where(e => e.Kind is LeadEngagementKind.InboundMessage or LeadEngagementKind.OutboundMessage && e.MessageExternalId is not null)
            .DistinctBy(e => e.MessageExternalId, StringComparer.Ordinal)
            .ToList();
        IReadOnlySet<string> recorded = new HashSet<string>();
        if (messages.Count > 0)
        {
            var write = new LeadMessagesWrite(_tenantId, _leadId, messages);
            try
            {
                await writer.WriteAsync(write);
                recorded = write.Recorded;
            }
            catch (Exception e)
            {
                // One-way: nobody waits to be told. The messages themselves are stored; only their timeline entries are missing.
                logger.LogWarning(e, "Could not record {Count} message(s) on the timeline of lead {Key}", messages.Count, this.GetPrimaryKeyString());
                return [];
            }
        }
        return [.. engagements.Where(e => e.Kind switch
        {
            LeadEngagementKind.InboundMessage or LeadEngagementKind.OutboundMessage or LeadEngagementKind.FastReply =>
                e.MessageExternalId is null || recorded.Contains(e.MessageExternalId) || !messages.Exists(m => m.MessageExternalId == e.MessageExternalId),
            _ => true,
        })];
    }

    private async Task ReloadAsync() => _lead = await store.LoadAsync(_tenantId, _leadId);

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
