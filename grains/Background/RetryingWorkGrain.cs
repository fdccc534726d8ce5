using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Flexoraa.Background;

/// <summary>
/// The skeleton shared by grains that carry one piece of background work (a media download, a reply's send) through to
/// an end. Its database row is the state; this class only decides <i>when</i> the next attempt runs. A grain timer runs
/// the waits while the grain is active; a durable reminder, registered before the first attempt and re-armed past each
/// scheduled retry, wakes the grain again if it was deactivated or its silo died, so the work survives restarts. One
/// attempt runs at a time even though subclasses are reentrant (so <c>Start</c> and reminder ticks are answered at once
/// during a long attempt).
/// </summary>
public abstract class RetryingWorkGrain(IOptions<ReminderOptions> reminderOptions, TimeProvider clock) : Grain, IRemindable, IDisposable
{
    private readonly CancellationTokenSource _deactivating = new();
    private IGrainTimer? _timer;
    private bool _running;
    private bool _reminderRegistered;

    /// <summary>The reminder's name; one per grain type, so a tick for another reminder is ignored.</summary>
    protected abstract string RetryReminderName { get; }

    /// <summary>How often the reminder repeats as a safety net; Orleans' minimum reminder period wins if larger.</summary>
    protected abstract TimeSpan ConfiguredReminderPeriod { get; }

    protected TimeSpan ReminderPeriod =>
        ConfiguredReminderPeriod > reminderOptions.Value.MinimumReminderPeriod ? ConfiguredReminderPeriod : reminderOptions.Value.MinimumReminderPeriod;

    protected TimeProvider Clock => clock;

    /// <summary>True while an attempt runs in this activation.</summary>
    protected bool IsRunning => _running;

    /// <summary>
    /// One attempt: look at the row, do the work or schedule the next try. The token is cancelled when the activation
    /// goes; a cancelled attempt leaves its row for the reminder to bring back.
    /// </summary>
    protected abstract Task AttemptAsync(CancellationToken cancellationToken);

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == RetryReminderName ? RunAttemptAsync() : Task.CompletedTask;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _deactivating.CancelAsync();
        _timer?.Dispose();
    }

    /// <summary>Runs an attempt unless one is already running here.</summary>
    protected async Task RunAttemptAsync()
    {
        if (_running) return;
        _running = true;
        try
        {
            await AttemptAsync(_deactivating.Token);
        }
        catch (OperationCanceledException) when (_deactivating.IsCancellationRequested)
        {
            // Deactivating mid-attempt: the row says where the work stands, and the reminder brings it back.
        }
        finally
        {
            _running = false;
        }
    }

    /// <summary>Registers the safety-net reminder if this activation has not yet.</summary>
    protected async Task EnsureReminderAsync()
    {
        if (!_reminderRegistered) await ScheduleReminderAsync(ReminderPeriod);
    }

    /// <summary>The reminder's first tick after <paramref name="dueTime"/>: set past a scheduled retry, it is the net if this activation is gone by then.</summary>
    protected async Task ScheduleReminderAsync(TimeSpan dueTime)
    {
        await this.RegisterOrUpdateReminder(RetryReminderName, dueTime, ReminderPeriod);
        _reminderRegistered = true;
    }

    /// <summary>Runs the next attempt after <paramref name="delay"/> in this activation.</summary>
    protected void Arm(TimeSpan delay)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(_ => RunAttemptAsync(), new GrainTimerCreationOptions
        {
            DueTime = delay,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
        });
    }

    /// <summary>How long until <paramref name="at"/>; zero when it is past or unset.</summary>
    protected TimeSpan Until(DateTimeOffset? at)
    {
        if (at is not { } due) return TimeSpan.Zero;
        var wait = due - clock.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>The work is over: no timer, no reminder, and the activation may go.</summary>
    protected async Task FinishAsync()
    {
        _timer?.Dispose();
        _timer = null;
        await ForgetReminderAsync();
        DeactivateOnIdle();
    }

    protected async Task ForgetReminderAsync()
    {
        if (await this.GetReminder(RetryReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        _reminderRegistered = false;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _deactivating.Dispose();
    }
}
