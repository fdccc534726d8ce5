using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Hosting;

namespace Flexoraa.Media;

/// <summary>
/// Fetches one media object, <c>{tenantId}/{mediaObjectId}</c>, and keeps at it until it is stored, refused, or out of
/// attempts. The <c>media_objects</c> row is its state: attempts, the last error and when the next attempt is due. A
/// timer runs the waits while the grain is active; a durable reminder, registered before the first attempt, wakes the
/// grain again if it was deactivated or its silo died, so a fetch survives restarts. Reentrant so that
/// <see cref="Start"/> and reminder ticks are answered at once during a long download; one attempt runs at a time.
/// </summary>
[Reentrant]
public sealed class MediaFetchGrain(
    MediaObjectStore store,
    MediaFetcher fetcher,
    IOptions<MediaSettings> options,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider clock,
    ILogger<MediaFetchGrain> logger) : Grain, IMediaFetchGrain, IRemindable, IDisposable
{
    public const string ReminderName = "media-fetch";

    private readonly CancellationTokenSource _deactivating = new();
    private string _tenantId = "";
    private string _mediaObjectId = "";
    private IGrainTimer? _timer;
    private bool _running;
    private bool _reminderRegistered;

    private MediaSettings Settings => options.Value;
    private TimeSpan ReminderPeriod => Settings.ReminderPeriod > reminderOptions.Value.MinimumReminderPeriod ? Settings.ReminderPeriod : reminderOptions.Value.MinimumReminderPeriod;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _mediaObjectId) = MediaObjectIds.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _deactivating.CancelAsync();
        _timer?.Dispose();
    }

    public void Dispose() => _deactivating.Dispose();

    public async Task Start()
    {
        var media = await store.FindAsync(_tenantId, _mediaObjectId);
        if (media is null || media.Status != MediaStatuses.Pending)
        {
            await ForgetReminderAsync();
            return;
        }
        if (!_reminderRegistered) await ScheduleReminderAsync(ReminderPeriod);
        if (!_running) Arm(Until(media.NextAttemptAt));
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? AttemptAsync() : Task.CompletedTask;

    private async Task AttemptAsync()
    {
        if (_running) return;
        _running = true;
        try
        {
            var media = await store.FindAsync(_tenantId, _mediaObjectId, _deactivating.Token);
            if (media is null || media.Status != MediaStatuses.Pending)
            {
                await FinishAsync();
                return;
            }
            if (Until(media.NextAttemptAt) is { } wait && wait > TimeSpan.Zero)
            {
                Arm(wait);
                return;
            }
            if (!_reminderRegistered) await ScheduleReminderAsync(ReminderPeriod);

            media = await store.BeginAttemptAsync(_tenantId, _mediaObjectId, clock.GetUtcNow(), _deactivating.Token);
            if (media is null) return;
            MediaFetchOutcome outcome;
            try
            {
                outcome = await fetcher.FetchAsync(media, _deactivating.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_deactivating.IsCancellationRequested)
            {
                // Unforeseen (the blob store's disk, the database): count it as an attempt that may heal.
                logger.LogWarning(e, "Fetching media {Tenant}/{MediaObjectId} failed unexpectedly", _tenantId, _mediaObjectId);
                outcome = MediaFetchOutcome.Retry(e.Message);
            }
            await ApplyAsync(media, outcome);
        }
        catch (OperationCanceledException) when (_deactivating.IsCancellationRequested)
        {
            // Deactivating mid-attempt: the row is still pending, and the reminder brings the fetch back.
        }
        finally
        {
            _running = false;
        }
    }

    private async Task ApplyAsync(MediaObjectRecord media, MediaFetchOutcome outcome)
    {
        var now = clock.GetUtcNow();
        switch (outcome.Verdict)
        {
            case MediaFetchVerdict.Stored:
                await store.MarkStoredAsync(_tenantId, _mediaObjectId, outcome.BlobKey!, outcome.SizeBytes!.Value, outcome.Sha256Hex!, outcome.MimeType!, now);
                await FinishAsync();
                return;
            case MediaFetchVerdict.Rejected or MediaFetchVerdict.Failed:
                logger.LogInformation("Media {Tenant}/{MediaObjectId} {Verdict}: {Error}", _tenantId, _mediaObjectId, outcome.Verdict, outcome.Error);
                await store.MarkFinalAsync(_tenantId, _mediaObjectId, outcome.Verdict == MediaFetchVerdict.Rejected ? MediaStatuses.Rejected : MediaStatuses.Failed,
                    outcome.Error!, outcome.MimeType, outcome.SizeBytes, outcome.Sha256Hex, now);
                await FinishAsync();
                return;
        }

        if (media.Attempts >= Settings.MaxAttempts)
        {
            logger.LogWarning("Media {Tenant}/{MediaObjectId} failed after {Attempts} attempts: {Error}", _tenantId, _mediaObjectId, media.Attempts, outcome.Error);
            await store.MarkFinalAsync(_tenantId, _mediaObjectId, MediaStatuses.Failed, $"Gave up after {media.Attempts} attempts: {outcome.Error}", null, null, null, now);
            await FinishAsync();
            return;
        }
        var delay = Settings.RetryDelayAfter(media.Attempts);
        if (outcome.RetryAfter is { } retryAfter && retryAfter > delay) delay = retryAfter;
        await store.ScheduleRetryAsync(_tenantId, _mediaObjectId, outcome.Error!, now + delay, now);
        Arm(delay);
        // The timer normally runs the retry; the reminder, a period later, is the net if this activation is gone by then.
        await ScheduleReminderAsync(delay + ReminderPeriod);
    }

    private TimeSpan Until(DateTimeOffset? at)
    {
        if (at is not { } due) return TimeSpan.Zero;
        var wait = due - clock.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private void Arm(TimeSpan delay)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(_ => AttemptAsync(), new GrainTimerCreationOptions
        {
            DueTime = delay,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
        });
    }

    private async Task ScheduleReminderAsync(TimeSpan dueTime)
    {
        await this.RegisterOrUpdateReminder(ReminderName, dueTime, ReminderPeriod);
        _reminderRegistered = true;
    }

    private async Task FinishAsync()
    {
        _timer?.Dispose();
        _timer = null;
        await ForgetReminderAsync();
        DeactivateOnIdle();
    }

    private async Task ForgetReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        _reminderRegistered = false;
    }
}
