using Flexoraa.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Hosting;

namespace Flexoraa.Outbound;

/// <summary>
/// Sends one reply, <c>{tenantId}/{messageId}</c>, in the background. The <c>outbound_messages</c> row is its state.
/// An attempt begins by moving the row from queued to sending (the fence: only one attempt ever holds it); Meta's answer
/// is recorded at once and then handed to the conversation, which renames the message and tells the tenant's users.
/// Refusals that heal by waiting (rate limits) go back to queued with a backoff run by a timer, with a durable reminder
/// as the net if this activation dies; after <see cref="OutboundSettings.GiveUpAfter"/> the reply fails. A row found
/// sending that this activation did not start was cut off mid-call: it is marked failed, never sent again.
/// </summary>
[Reentrant]
public sealed class OutboundMessageGrain(
    OutboundMessageStore store,
    OutboundSenders senders,
    IOptions<OutboundSettings> options,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider clock,
    ILogger<OutboundMessageGrain> logger) : Grain, IOutboundMessageGrain, IRemindable, IDisposable
{
    public const string ReminderName = "outbound-send";

    private static readonly TimeSpan ReportRetryDelay = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _deactivating = new();
    private string _tenantId = "";
    private long _messageId;
    private IGrainTimer? _timer;
    private bool _running;
    private bool _reminderRegistered;

    private OutboundSettings Settings => options.Value;
    private TimeSpan ReminderPeriod => Settings.ReminderPeriod > reminderOptions.Value.MinimumReminderPeriod ? Settings.ReminderPeriod : reminderOptions.Value.MinimumReminderPeriod;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _messageId) = OutboundMessageIds.Parse(this.GetPrimaryKeyString());
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
        // The reminder comes first: from here on, a crash anywhere still brings this send back.
        if (!_reminderRegistered) await ScheduleReminderAsync(ReminderPeriod);
        if (!_running) Arm(TimeSpan.Zero);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? WorkAsync() : Task.CompletedTask;

    private async Task WorkAsync()
    {
        if (_running) return;
        _running = true;
        try
        {
            var message = await store.FindAsync(_tenantId, _messageId, _deactivating.Token);
            if (message is null)
            {
                await FinishAsync();
                return;
            }
            if (message.State == OutboundMessageRecord.Sending)
            {
                // Not ours (ours would have _running set): a previous activation was cut off waiting for Meta's answer.
                logger.LogWarning("Reply {Tenant}/{MessageId} was interrupted mid-send; marking it failed instead of sending it again", _tenantId, _messageId);
                await store.MarkFailedAsync(_tenantId, _messageId, OutboundErrors.Interrupted, OutboundErrors.InterruptedTitle,
                    "The attempt was cut off before Meta answered (the silo stopped or restarted); it was not sent again so that the customer never gets it twice.",
                    clock.GetUtcNow(), _deactivating.Token);
                message = await store.FindAsync(_tenantId, _messageId, _deactivating.Token);
            }
            if (message is null || message.IsFinal)
            {
                await ReportAsync(message);
                return;
            }
            if (Until(message.NextAttemptAt) is var wait && wait > TimeSpan.Zero)
            {
                Arm(wait);
                return;
            }
            if (!_reminderRegistered) await ScheduleReminderAsync(ReminderPeriod);

            var begun = await store.BeginAttemptAsync(_tenantId, _messageId, clock.GetUtcNow(), _deactivating.Token);
            if (begun is null) return;
            OutboundSendResult result;
            try
            {
                result = await senders.SendAsync(begun, _deactivating.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_deactivating.IsCancellationRequested)
            {
                // Unforeseen (the blob store, the database): whether Meta got it cannot be known, so it is not retried.
                logger.LogError(e, "Reply {Tenant}/{MessageId} failed unexpectedly during its send", _tenantId, _messageId);
                result = new OutboundSendResult(OutboundVerdict.Interrupted, null, OutboundErrors.Interrupted, OutboundErrors.InterruptedTitle, e.Message);
            }
            await ApplyAsync(begun, result);
        }
        catch (OperationCanceledException) when (_deactivating.IsCancellationRequested)
        {
            // Deactivating: a row left sending is failed as interrupted by the next activation; a queued one is retried.
        }
        finally
        {
            _running = false;
        }
    }

    private async Task ApplyAsync(OutboundMessageRecord message, OutboundSendResult result)
    {
        var now = clock.GetUtcNow();
        switch (result.Verdict)
        {
            case OutboundVerdict.Sent:
                await store.MarkSentAsync(_tenantId, _messageId, result.ExternalId!, now);
                break;
            case OutboundVerdict.Retry:
                var delay = Settings.RetryDelayAfter(message.Attempts);
                if (result.RetryAfter is { } after && after > delay) delay = after;
                if (now + delay - message.CreatedAt > Settings.GiveUpAfter)
                {
                    logger.LogWarning("Reply {Tenant}/{MessageId} gave up after {Attempts} attempts: {Error}", _tenantId, _messageId, message.Attempts, result.ErrorMessage);
                    await store.MarkFailedAsync(_tenantId, _messageId, result.ErrorCode ?? OutboundErrors.GaveUp, result.ErrorTitle ?? OutboundErrors.GaveUpTitle,
                        $"Gave up after {message.Attempts} attempts over {now - message.CreatedAt:g}: {result.ErrorMessage}", now);
                    break;
                }
                await store.ScheduleRetryAsync(_tenantId, _messageId, $"{result.ErrorCode} {result.ErrorTitle}: {result.ErrorMessage}", now + delay, now);
                Arm(delay);
                await ScheduleReminderAsync(delay + ReminderPeriod);
                return;
            default:
                await store.MarkFailedAsync(_tenantId, _messageId, result.ErrorCode, result.ErrorTitle, result.ErrorMessage, now);
                break;
        }
        await ReportAsync(await store.FindAsync(_tenantId, _messageId));
    }

    /// <summary>Hands a final outcome to the conversation until it has taken it in; the reminder repeats this if it cannot.</summary>
    private async Task ReportAsync(OutboundMessageRecord? message)
    {
        if (message is null || message.Applied)
        {
            await FinishAsync();
            return;
        }
        try
        {
            var outcome = new OutboundOutcome(message.MessageId, message.State == OutboundMessageRecord.SentState ? message.ExternalId : null,
                message.ErrorCode, message.ErrorTitle, message.ErrorMessage, clock.GetUtcNow());
            await GrainFactory.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(_tenantId, message.ConversationId)).RecordOutboundOutcome(outcome);
            await FinishAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not hand the outcome of reply {Tenant}/{MessageId} to its conversation; trying again", _tenantId, _messageId);
            Arm(ReportRetryDelay);
        }
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
        _timer = this.RegisterGrainTimer(_ => WorkAsync(), new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan, Interleave = true });
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
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        _reminderRegistered = false;
        DeactivateOnIdle();
    }
}
