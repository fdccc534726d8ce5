using Flexoraa.ReadModels;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Flexoraa.FrontendApi.Email;

/// <summary>
/// Delivers <c>outbound_emails</c> over SMTP (MailKit). A row is claimed by pushing its next attempt out by a lease, so
/// several frontends share the outbox without sending one email twice at once; a failure is recorded and retried with
/// doubling back-off until <see cref="SmtpSettings.MaxAttempts"/>. Delivery is at least once: a crash between the SMTP
/// answer and the update sends that email again. Runs only when SMTP is configured.
/// </summary>
public sealed class OutboxEmailSender(TenantDatabase database, EmailOutbox outbox, SmtpSettings smtp, TimeProvider clock, ILogger<OutboxEmailSender> logger)
    : BackgroundService
{
    /// <summary>Longer than one SMTP conversation takes, so a claimed row is not picked up again while it is being sent.</summary>
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan LongestBackOff = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(smtp.Host)) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverNextAsync(stoppingToken)) { }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is away; the mail is safe in it and goes once it is back.
                logger.LogWarning(e, "Could not read the email outbox");
            }
            try
            {
                await outbox.WaitForMailAsync(smtp.OutboxPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends one due email; false when none is due.</summary>
    private async Task<bool> DeliverNextAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var claimed = await database.QuerySingleOrDefaultSharedAsync<ClaimedEmail>("""
            UPDATE outbound_emails SET attempts = attempts + 1, next_attempt_at = @lease
            WHERE id = (SELECT id FROM outbound_emails
                        WHERE sent_at IS NULL AND attempts < @max AND next_attempt_at <= @now
                        ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, attempts, recipient, subject, body
            """, new { lease = now + ClaimLease, max = smtp.MaxAttempts, now }, cancellationToken);
        if (claimed is null) return false;
        var (id, attempts, recipient, subject, body) = claimed;
        var email = new OutboundEmail(recipient, subject, body);

        string? error = null;
        try
        {
            await DeliverAsync(email, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Unreachable server, refused login, a rejected address: all kept on the row and tried again later.
            error = e.Message;
            if (attempts >= smtp.MaxAttempts) logger.LogError(e, "Email {Id} to {Recipient} was not sent after {Attempts} attempts; giving up", id, email.Recipient, attempts);
            else logger.LogWarning(e, "Email {Id} to {Recipient} could not be sent (attempt {Attempts}); retrying", id, email.Recipient, attempts);
        }

        // Marking must happen even when the host is stopping: the email has gone out.
        if (error is null)
        {
            await database.ExecuteSharedAsync("UPDATE outbound_emails SET sent_at = @now, last_error = NULL WHERE id = @id",
                new { id, now = clock.GetUtcNow() }, CancellationToken.None);
        }
        else
        {
            await database.ExecuteSharedAsync("UPDATE outbound_emails SET last_error = @error, next_attempt_at = @next WHERE id = @id",
                new { id, error, next = clock.GetUtcNow() + BackOff(attempts) }, CancellationToken.None);
        }
        return true;
    }

    private sealed record ClaimedEmail(long Id, int Attempts, string Recipient, string Subject, string Body);

    private TimeSpan BackOff(int attempts)
    {
        var delay = smtp.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 16));
        return delay < LongestBackOff ? delay : LongestBackOff;
    }

    private async Task DeliverAsync(OutboundEmail email, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(email.Recipient));
        message.Subject = email.Subject;
        message.Body = new TextPart("plain") { Text = email.Body };

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.UseStartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}
