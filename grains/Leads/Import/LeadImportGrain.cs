using Flexoraa.Background;
using Flexoraa.Media;
using Flexoraa.Realtime;
using Flexoraa.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Hosting;

namespace Flexoraa.Leads.Import;

/// <summary>
/// Runs one lead import (see <see cref="ILeadImportGrain"/>): reads the stored upload row by row, validates and
/// deduplicates each row, and writes them <see cref="LeadImportSettings.BatchRows"/> at a time with
/// <see cref="LeadImportBatch"/>, each batch one transaction with the import's counters. Progress goes to the hub as
/// <see cref="ImportProgress"/> at most once a second and once at the end.
/// <para>
/// Crash-safe by construction: the row records the last row committed, and a resumed run (the reminder wakes the grain
/// on another silo) reads the file again from the top, skipping the committed rows' writes while still feeding them to
/// the in-file duplicate check, so a row after the resume point that repeats one before it is still caught. Reentrant,
/// so <see cref="Cancel"/> is answered while a batch runs; it stops the run after that batch.
/// </para>
/// </summary>
[Reentrant]
public sealed class LeadImportGrain(
    LeadImportStore store,
    IMediaBlobStore blobs,
    IOptions<LeadImportSettings> settings,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider clock,
    ILogger<LeadImportGrain> logger) : RetryingWorkGrain(reminderOptions, clock), ILeadImportGrain
{
    public const string ReminderName = "lead-import";

    private string _tenantId = "";
    private string _importId = "";
    private bool _cancelRequested;
    private long _lastCommitEnded;

    protected override string RetryReminderName => ReminderName;

    protected override TimeSpan ConfiguredReminderPeriod => TimeSpan.FromMinutes(1);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _importId) = LeadImportKeys.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task Start()
    {
        var import = await store.FindAsync(_tenantId, _importId);
        if (import is null || import.ToStatus().IsFinished)
        {
            await ForgetReminderAsync();
            return;
        }
        await EnsureReminderAsync();
        if (!IsRunning) Arm(TimeSpan.Zero);
    }

    public async Task<LeadImportStatus?> Cancel()
    {
        _cancelRequested = true;
        if (await store.RequestCancelAsync(_tenantId, _importId) && !IsRunning) Arm(TimeSpan.Zero);
        return (await store.FindAsync(_tenantId, _importId))?.ToStatus();
    }

    protected override async Task AttemptAsync(CancellationToken cancellationToken)
    {
        var import = await store.FindAsync(_tenantId, _importId, cancellationToken);
        if (import is null || import.ToStatus().IsFinished)
        {
            await FinishAsync();
            return;
        }
        if (import.CancelRequested)
        {
            await EndAsync(LeadImportState.Cancelled, null);
            return;
        }
        await store.MarkRunningAsync(_tenantId, _importId, Clock.GetUtcNow(), cancellationToken);

        await using var file = await blobs.OpenReadAsync(_tenantId, import.BlobKey, cancellationToken);
        if (file is null)
        {
            await EndAsync(LeadImportState.Failed, "The uploaded file is no longer stored; upload it again.");
            return;
        }
        try
        {
            var cancelled = await RunAsync(import, file, cancellationToken);
            await EndAsync(cancelled ? LeadImportState.Cancelled : LeadImportState.Completed, null);
        }
        catch (CsvFileException e)
        {
            // What was committed before the unreadable part stays, and the counters say how much that was.
            await EndAsync(LeadImportState.Failed, e.Message);
        }
    }

    /// <returns>True when the run stopped because it was cancelled.</returns>
    private async Task<bool> RunAsync(LeadImportRecord import, Stream file, CancellationToken cancellationToken)
    {
        var context = await ImportTargets.LoadAsync(GrainFactory, _tenantId);
        var rowReader = new LeadRowReader(import.ColumnMapping, import.DefaultRegion);
        var duplicates = new DuplicateRows();
        var batch = new ImportBatchBuilder(settings.Value.BatchRows);
        var lastProgress = DateTimeOffset.MinValue;
        _lastCommitEnded = Clock.GetTimestamp();

        await using var reader = await LeadCsvReader.OpenAsync(file, cancellationToken);
        await foreach (var row in reader.ReadRowsAsync(cancellationToken))
        {
            var alreadyCommitted = row.RowNumber <= import.CommittedThroughRow;
            if (!rowReader.TryRead(row, out var lead, out var problems))
            {
                if (!alreadyCommitted) batch.Fail(row.RowNumber, problems);
                continue;
            }
            if (duplicates.Check(lead!) is { } duplicate)
            {
                if (!alreadyCommitted) batch.Skip(row.RowNumber, duplicate);
                continue;
            }
            if (alreadyCommitted) continue;
            batch.Add(context.Resolve(lead!));

            if (batch.IsFull)
            {
                await CommitAsync(import, context, batch, cancellationToken);
                if (Clock.GetUtcNow() - lastProgress >= TimeSpan.FromSeconds(1))
                {
                    lastProgress = Clock.GetUtcNow();
                    await PublishProgressAsync();
                }
                if (_cancelRequested || (await store.FindAsync(_tenantId, _importId, cancellationToken))?.CancelRequested == true) return true;
            }
        }
        if (!batch.IsEmpty) await CommitAsync(import, context, batch, cancellationToken);
        return false;
    }

    private async Task CommitAsync(LeadImportRecord import, ImportTargets targets, ImportBatchBuilder batch, CancellationToken cancellationToken)
    {
        var started = Clock.GetTimestamp();
        ImportBatchResult result;
        await using (var session = await store.BeginAsync(_tenantId, cancellationToken))
        {
            result = await LeadImportBatch.WriteAsync(session, _importId, import.Duplicates, import.CreatedByUserId, targets.PipelineId, targets.FirstStageId,
                batch.Rows, batch.Problems,
                batch.FailedRows, batch.SkippedRows, batch.RowsRead, batch.ThroughRow, Clock.GetUtcNow(), cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        var through = batch.ThroughRow;
        batch.Clear();
        // An active lead grain holds the row as it was; tell it to read the new one. Inactive leads read it when they activate.
        foreach (var leadId in result.UpdatedLeadIds) GrainFactory.GetGrain<ILeadGrain>(LeadKeys.GrainKey(_tenantId, leadId)).Reload().Ignore();
        // Imported and updated rows are written unscored (score_rules_version 0); the scoring pass scores them with the
        // same rules and evaluator as live leads, a few hundred per tick, without holding up the import.
        if (result.Created + result.Updated > 0) GrainFactory.GetGrain<Flexoraa.Leads.Scoring.IScoringRulesGrain>(_tenantId).CatchUp().Ignore();
        // Where an import's time goes: this write against the reading and checking of the rows between two of them.
        logger.LogDebug("Lead import {Tenant}/{Import}: batch through row {Row}: {Created} created, {Updated} updated; written in {WriteMs:0} ms ({Steps}commit), read in {ReadMs:0} ms",
            _tenantId, _importId, through, result.Created, result.Updated, Clock.GetElapsedTime(started).TotalMilliseconds, result.Steps,
            (Clock.GetElapsedTime(_lastCommitEnded) - Clock.GetElapsedTime(started)).TotalMilliseconds);
        _lastCommitEnded = Clock.GetTimestamp();
    }

    private async Task EndAsync(LeadImportState state, string? error)
    {
        await store.FinishAsync(_tenantId, _importId, state, error, Clock.GetUtcNow());
        await PublishProgressAsync();
        logger.LogInformation("Lead import {Tenant}/{Import} ended: {State} {Error}", _tenantId, _importId, state, error);
        await FinishAsync();
    }

    private async Task PublishProgressAsync()
    {
        if (await store.FindAsync(_tenantId, _importId) is not { } now) return;
        await GrainFactory.GetGrain<ITenantUpdatesGrain>(_tenantId).Publish(new ImportProgress(_tenantId, Clock.GetUtcNow(), now.ToStatus()));
    }
}
