using System.Globalization;
using Flexoraa.Api;
using Flexoraa.Audit;
using Flexoraa.Background;
using Flexoraa.Media;
using Flexoraa.Realtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Hosting;

namespace Flexoraa.Leads.Bulk;

/// <summary>
/// Runs one bulk action (see <see cref="ILeadBulkActionGrain"/>): takes the leads it names <see cref="BatchSize"/> at a
/// time and applies the change to each batch with one statement (<see cref="LeadBulkWrites"/>), committed with the
/// action's counters, then has the active grains of the changed leads reload, as an import does. An export writes its
/// CSV to a temporary file batch by batch and stores it whole at the end; after a crash it starts over. Progress goes
/// to the hub as <see cref="LeadBulkActionProgress"/> at most once a second and once at the end, and the end is audited.
/// Reentrant, so <see cref="Cancel"/> is answered while a batch runs; it stops the run after that batch.
/// </summary>
[Reentrant]
public sealed class LeadBulkActionGrain(
    LeadBulkActionStore store,
    IMediaBlobStore blobs,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider clock,
    ILogger<LeadBulkActionGrain> logger) : RetryingWorkGrain(reminderOptions, clock), ILeadBulkActionGrain
{
    public const string ReminderName = "lead-bulk-action";
    public const string FinishedAuditAction = "lead.bulk_action.finished";
    public const int BatchSize = 500;

    private string _tenantId = "";
    private string _actionId = "";
    private bool _cancelRequested;
    private DateTimeOffset _lastProgress = DateTimeOffset.MinValue;

    protected override string RetryReminderName => ReminderName;

    protected override TimeSpan ConfiguredReminderPeriod => TimeSpan.FromMinutes(1);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _actionId) = LeadBulkActionKeys.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task Start()
    {
        var action = await store.FindAsync(_tenantId, _actionId);
        if (action is null || action.ToStatus().IsFinished)
        {
            await ForgetReminderAsync();
            return;
        }
        await EnsureReminderAsync();
        if (!IsRunning) Arm(TimeSpan.Zero);
    }

    public async Task<LeadBulkActionStatus?> Cancel()
    {
        _cancelRequested = true;
        if (await store.RequestCancelAsync(_tenantId, _actionId) && !IsRunning) Arm(TimeSpan.Zero);
        return (await store.FindAsync(_tenantId, _actionId))?.ToStatus();
    }

    protected override async Task AttemptAsync(CancellationToken cancellationToken)
    {
        var action = await store.FindAsync(_tenantId, _actionId, cancellationToken);
        if (action is null || action.ToStatus().IsFinished)
        {
            await FinishAsync();
            return;
        }
        if (action.CancelRequested)
        {
            await EndAsync(action, LeadBulkActionState.Cancelled, null, null);
            return;
        }
        await store.MarkRunningAsync(_tenantId, _actionId, Clock.GetUtcNow(), cancellationToken);
        if (action.Kind == LeadBulkActionKind.Export)
        {
            try
            {
                var (blobKey, cancelled) = await ExportAsync(action, cancellationToken);
                await EndAsync(action, cancelled ? LeadBulkActionState.Cancelled : LeadBulkActionState.Completed, null, blobKey);
            }
            catch (IOException e)
            {
                // The file system is full or gone: trying again would fail the same way, and the user can ask again.
                logger.LogError(e, "Lead export {Tenant}/{Action} could not write its file", _tenantId, _actionId);
                await EndAsync(action, LeadBulkActionState.Failed, "The export file could not be written; try again later.", null);
            }
            return;
        }
        var stopped = await ApplyAsync(action, cancellationToken);
        await EndAsync(action, stopped ? LeadBulkActionState.Cancelled : LeadBulkActionState.Completed, null, null);
    }

    /// <returns>True when the run stopped because it was cancelled.</returns>
    private async Task<bool> ApplyAsync(LeadBulkActionRecord action, CancellationToken cancellationToken)
    {
        var through = action.CommittedThrough;
        while (true)
        {
            IReadOnlyList<string> changed;
            await using (var session = await store.BeginAsync(_tenantId, cancellationToken))
            {
                var (leadIds, last) = await LeadBulkActionStore.NextItemsAsync(session, _actionId, through, BatchSize, cancellationToken);
                if (leadIds.Count == 0) return false;
                changed = await LeadBulkWrites.ApplyAsync(session, action, leadIds, Clock.GetUtcNow(), cancellationToken);
                await LeadBulkActionStore.AdvanceAsync(session, _actionId, last, leadIds.Count, changed.Count, cancellationToken);
                await session.CommitAsync(cancellationToken);
                through = last;
            }
            // An active lead grain holds the row as it was; inactive ones read the new row when they activate.
            foreach (var leadId in changed) GrainFactory.GetGrain<ILeadGrain>(LeadKeys.GrainKey(_tenantId, leadId)).Reload().Ignore();
            await ProgressAsync();
            if (await CancelledAsync(cancellationToken)) return true;
        }
    }

    private async Task<(string? BlobKey, bool Cancelled)> ExportAsync(LeadBulkActionRecord action, CancellationToken cancellationToken)
    {
        if (action.CommittedThrough > 0 || action.Processed > 0) await store.RestartAsync(_tenantId, _actionId, cancellationToken);
        System.Collections.Immutable.ImmutableArray<string> columns = action.ToParameters().Columns is { Count: > 0 } chosen ? [.. chosen] : LeadExportColumns.Default;
        var path = Path.Combine(Path.GetTempPath(), $"flexoraa-{_actionId}-{Guid.NewGuid():N}.csv");
        try
        {
            var through = 0;
            var cancelled = false;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await LeadExportColumns.WriteAsync(file, columns, async _ =>
                {
                    if (cancelled) return null;
                    await using var session = await store.BeginAsync(_tenantId, cancellationToken);
                    var (leadIds, last) = await LeadBulkActionStore.NextItemsAsync(session, _actionId, through, BatchSize, cancellationToken);
                    if (leadIds.Count == 0) return null;
                    var leads = await LeadExportColumns.ReadAsync(session, leadIds, action.OwnWorkOf, cancellationToken);
                    await LeadBulkActionStore.AdvanceAsync(session, _actionId, last, leadIds.Count, leads.Count, cancellationToken);
                    await session.CommitAsync(cancellationToken);
                    through = last;
                    return leads;
                }, async _ =>
                {
                    await ProgressAsync();
                    cancelled = await CancelledAsync(cancellationToken);
                }, cancellationToken);
            }
            if (cancelled) return (null, true);
            await using var written = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
            return (await blobs.PutAsync(_tenantId, _actionId + "-export", written, cancellationToken), false);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<bool> CancelledAsync(CancellationToken cancellationToken) =>
        _cancelRequested || (await store.FindAsync(_tenantId, _actionId, cancellationToken))?.CancelRequested == true;

    private async Task EndAsync(LeadBulkActionRecord action, LeadBulkActionState state, string? error, string? blobKey)
    {
        await store.FinishAsync(_tenantId, _actionId, state, error, blobKey, Clock.GetUtcNow());
        var finished = await store.FindAsync(_tenantId, _actionId);
        if (finished is not null)
        {
            await using var session = await store.BeginAsync(_tenantId);
            await AuditLogWriter.AppendAsync(session, new AuditLogEntry(FinishedAuditAction, action.CreatedByUserId, action.ApiKeyId, "lead_bulk_action", _actionId, null,
                new Dictionary<string, string?>
                {
                    ["action"] = action.Action,
                    ["status"] = ApiJson.NameOf(state),
                    ["total"] = finished.Total.ToString(CultureInfo.InvariantCulture),
                    ["changed"] = finished.Changed.ToString(CultureInfo.InvariantCulture),
                    ["skipped"] = finished.Skipped.ToString(CultureInfo.InvariantCulture),
                }));
            await session.CommitAsync();
        }
        await ProgressAsync(force: true);
        logger.LogInformation("Lead bulk action {Tenant}/{Action} ({Kind}) ended: {State} {Error}", _tenantId, _actionId, action.Action, state, error);
        await FinishAsync();
    }

    private async Task ProgressAsync(bool force = false)
    {
        if (!force && Clock.GetUtcNow() - _lastProgress < TimeSpan.FromSeconds(1)) return;
        _lastProgress = Clock.GetUtcNow();
        if (await store.FindAsync(_tenantId, _actionId) is not { } now) return;
        await GrainFactory.GetGrain<ITenantUpdatesGrain>(_tenantId).Publish(new LeadBulkActionProgress(_tenantId, Clock.GetUtcNow(), now.ToStatus()));
    }
}
