using Flexoraa.Background;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Hosting;

namespace Flexoraa.Media;

/// <summary>
/// Fetches one media object, <c>{tenantId}/{mediaObjectId}</c>, and keeps at it until it is stored, refused, or out of
/// attempts. The <c>media_objects</c> row is its state: attempts, the last error and when the next attempt is due. A
/// timer runs the waits while the grain is active and a durable reminder brings it back after a restart
/// (<see cref="RetryingWorkGrain"/>).
/// </summary>
[Reentrant]
public sealed class MediaFetchGrain(
    MediaObjectStore store,
    MediaFetcher fetcher,
    IOptions<MediaSettings> options,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider clock,
    ILogger<MediaFetchGrain> logger) : RetryingWorkGrain(reminderOptions, clock), IMediaFetchGrain
{
    public const string ReminderName = "media-fetch";

    private string _tenantId = "";
    private string _mediaObjectId = "";

    private MediaSettings Settings => options.Value;

    protected override string RetryReminderName => ReminderName;

    protected override TimeSpan ConfiguredReminderPeriod => Settings.ReminderPeriod;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _mediaObjectId) = MediaObjectIds.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task Start()
    {
        var media = await store.FindAsync(_tenantId, _mediaObjectId);
        if (media is null || media.Status != MediaStatuses.Pending)
        {
            await ForgetReminderAsync();
            return;
        }
        await EnsureReminderAsync();
        if (!IsRunning) Arm(Until(media.NextAttemptAt));
    }

    protected override async Task AttemptAsync(CancellationToken cancellationToken)
    {
        var media = await store.FindAsync(_tenantId, _mediaObjectId, cancellationToken);
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
        await EnsureReminderAsync();

        media = await store.BeginAttemptAsync(_tenantId, _mediaObjectId, Clock.GetUtcNow(), cancellationToken);
        if (media is null) return;
        MediaFetchOutcome outcome;
        try
        {
            outcome = await fetcher.FetchAsync(media, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Unforeseen (the blob store's disk, the database): count it as an attempt that may heal.
            logger.LogWarning(e, "Fetching media {Tenant}/{MediaObjectId} failed unexpectedly", _tenantId, _mediaObjectId);
            outcome = MediaFetchOutcome.Retry(e.Message);
        }
        await ApplyAsync(media, outcome);
    }

    private async Task ApplyAsync(MediaObjectRecord media, MediaFetchOutcome outcome)
    {
        var now = Clock.GetUtcNow();
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
}
