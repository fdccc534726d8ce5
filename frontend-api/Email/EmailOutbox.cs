using Flexoraa.ReadModels;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Flexoraa.FrontendApi.Email;

/// <summary>
/// Every email goes into <c>outbound_emails</c> first, then out over SMTP when SMTP is configured. Without SMTP the
/// message is logged, so a developer in local mode can follow a sign-up or invitation link from the console.
/// </summary>
public sealed class EmailOutbox(TenantDatabase database, SmtpSettings smtp, TimeProvider clock, ILogger<EmailOutbox> logger)
{
    public async Task SendAsync(string? tenantId, string recipient, string subject, string body, CancellationToken cancellationToken = default)
    {
        long id;
        await using (var insert = database.Shared.CreateCommand(
            "INSERT INTO outbound_emails (tenant_id, recipient, subject, body) VALUES (@tenant, @to, @subject, @body) RETURNING id"))
        {
            insert.Parameters.AddWithValue("tenant", (object?)tenantId ?? DBNull.Value);
            insert.Parameters.AddWithValue("to", recipient);
            insert.Parameters.AddWithValue("subject", subject);
            insert.Parameters.AddWithValue("body", body);
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            logger.LogInformation("Email {Id} to {Recipient} kept in the outbox (no SMTP configured): {Subject}\n{Body}", id, recipient, subject, body);
            return;
        }

        string? error = null;
        try
        {
            await DeliverAsync(recipient, subject, body, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SmtpCommandException or SmtpProtocolException or AuthenticationException or System.Net.Sockets.SocketException)
        {
            // The row stays unsent with its error; the caller's action (an invitation, a sign-up) still succeeded.
            error = e.Message;
            logger.LogWarning(e, "Email {Id} to {Recipient} could not be sent", id, recipient);
        }

        await using var mark = database.Shared.CreateCommand("UPDATE outbound_emails SET sent_at = @sent, last_error = @error WHERE id = @id");
        mark.Parameters.AddWithValue("sent", error is null ? clock.GetUtcNow() : DBNull.Value);
        mark.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        mark.Parameters.AddWithValue("id", id);
        await mark.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task DeliverAsync(string recipient, string subject, string body, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.UseStartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}
