using Flexoraa.Background;
using Flexoraa.Channels;
using Flexoraa.Conversations;
using Flexoraa.Realtime;
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
    ILogger<OutboundMessageGrain> logger) : RetryingWorkGrain(reminderOptions, clock), IOutboundMessageGrain
{
    public const string ReminderName = "outbound-send";

    private static readonly TimeSpan ReportRetryDelay = TimeSpan.FromSeconds(2);

    private string _tenantId = "";
    private long _messageId;

    private OutboundSettings Settings => options.Value;

    protected override string RetryReminderName => ReminderName;

    protected override TimeSpan ConfiguredReminderPeriod => Settings.ReminderPeriod;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _messageId) = OutboundMessageIds.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task Start()
    {
        // The reminder comes first: from here on, a crash anywhere still brings this send back.
        await EnsureReminderAsync();
        if (!IsRunning) Arm(TimeSpan.Zero);
    }

    protected override async Task AttemptAsync(CancellationToken cancellationToken)
    {
        var message = await store.FindAsync(_tenantId, _messageId, cancellationToken);
        if (message is null)
        {
            await FinishAsync();
            return;
        }
        if (message.State == OutboundMessageRecord.Sending)
        {
            // Not ours (an attempt of this activation would still be running): a previous activation was cut off
            // waiting for Meta's answer.
            logger.LogWarning("Reply {Tenant}/{MessageId} was interrupted mid-send; marking it failed instead of sending it again", _tenantId, _messageId);
            await store.MarkFailedAsync(_tenantId, _messageId, OutboundErrors.Interrupted, OutboundErrors.InterruptedTitle,
                "The attempt was cut off before Meta answered (the silo stopped or restarted); it was not sent again so that the customer never gets it twice.",
                Clock.GetUtcNow(), cancellationToken);
            message = await store.FindAsync(_tenantId, _messageId, cancellationToken);
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
        await EnsureReminderAsync();

        var begun = await store.BeginAttemptAsync(_tenantId, _messageId, Clock.GetUtcNow(), cancellationToken);
        if (begun is null) return;
        OutboundSendResult result;
        try
        {
            result = await senders.SendAsync(begun, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Unforeseen (the blob store, the database): whether Meta got it cannot be known, so it is not retried.
            logger.LogError(e, "Reply {Tenant}/{MessageId} failed unexpectedly during its send", _tenantId, _messageId);
            result = new OutboundSendResult(OutboundVerdict.Interrupted, null, OutboundErrors.Interrupted, OutboundErrors.InterruptedTitle, e.Message);
        }
        await ApplyAsync(begun, result);
    }

    private async Task ApplyAsync(OutboundMessageRecord message, OutboundSendResult result)
    {
        var now = Clock.GetUtcNow();
        switch (result.Verdict)
        {
            case OutboundVerdict.Sent:
                await store.MarkSentAsync(_tenantId, _messageId, result.ExternalId!, now, result.Sandboxed);
                break;
            case OutboundVerdict.Retry:
                var delay = Settings.RetryDelayAfter(message.Attempts);
                if (result.RetryAfter is { } after && after > delay) delay = after;
                if (now + delay - message.CreatedAt > Settings.GiveUpAfter)
                {
                    logger.LogWarning("Reply {Tenant}/{MessageId} gave up after {Attempts} attempts: {Error}", _tenantId, _messageId, message.Attempts, result.ErrorMessage);
                    await store.MarkFailedAsync(_tenantId, _messageId, result.ErrorCode ?? OutboundErrors.GaveUp, result.ErrorTitle ?? OutboundErrors.GaveUpTitle,
                        $"Gave up after {message.Attempts} attempts over {Span(now - message.CreatedAt)}. Last error: {OutboundErrors.Describe(result.ErrorCode, result.ErrorTitle, result.ErrorMessage)}", now);
                    break;
                }
                await store.ScheduleRetryAsync(_tenantId, _messageId, OutboundErrors.Describe(result.ErrorCode, result.ErrorTitle, result.ErrorMessage), now + delay, now);
                Arm(delay);
                await ScheduleReminderAsync(delay + ReminderPeriod);
                await PublishRetryingAsync(message, OutboundErrors.Describe(result.ErrorCode, result.ErrorTitle, result.ErrorMessage), now + delay, now);
                return;
            default:
                await store.MarkFailedAsync(_tenantId, _messageId, result.ErrorCode, result.ErrorTitle, result.ErrorMessage, now);
                break;
        }
        await ReportAsync(await store.FindAsync(_tenantId, _messageId));
    }

    /// <summary>
    /// Tells the tenant's users the reply is being retried and why. Best effort: the row already says so for a reload,
    /// and the send must not wait on, or fail with, the tenant's sequencer.
    /// </summary>
    private async Task PublishRetryingAsync(OutboundMessageRecord message, string error, DateTimeOffset next, DateTimeOffset now)
    {
        try
        {
            await GrainFactory.GetGrain<ITenantUpdatesGrain>(_tenantId).PublishAll([new MessageStatusChanged(_tenantId, message.ConversationId, now,
                message.PlaceholderId, DeliveryStatus.Retrying, null, null, LastError: error, Attempts: message.Attempts, NextAttemptAt: next)]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not tell the users of tenant {Tenant} that reply {MessageId} is being retried", _tenantId, _messageId);
        }
    }

    private static string Span(TimeSpan span) => span.TotalMinutes >= 1
        ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
        : $"{Math.Max(1, (int)Math.Round(span.TotalSeconds))} s";

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
                message.ErrorCode, message.ErrorTitle, message.ErrorMessage, Clock.GetUtcNow(), message.Attempts);
            await GrainFactory.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(_tenantId, message.ConversationId)).RecordOutboundOutcome(outcome);
            await FinishAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not hand the outcome of reply {Tenant}/{MessageId} to its conversation; trying again", _tenantId, _messageId);
            Arm(ReportRetryDelay);
        }
    }
}
