using System.Data;
using Dapper;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Email;

/// <summary>
/// Every email goes into <c>outbound_emails</c>; <see cref="OutboxEmailSender"/> delivers it from there over SMTP and
/// retries until it goes. Written inside a caller's <see cref="TenantSession"/>, the email commits or rolls back with
/// the action it belongs to (an invitation and its email are one unit). Without SMTP the message is logged, so a
/// developer in local mode can follow a sign-up or invitation link from the console, and stays in the outbox.
/// </summary>
public sealed class EmailOutbox(TenantDatabase database, SmtpSettings smtp, ILogger<EmailOutbox> logger) : IDisposable
{
    private readonly SemaphoreSlim _nudge = new(0, 1);

    /// <summary>Queues the email in the caller's transaction; call <see cref="Nudge"/> after committing it.</summary>
    public async Task EnqueueAsync(TenantSession session, OutboundEmail email, CancellationToken cancellationToken = default)
    {
        var id = await session.ExecuteScalarAsync<long>(InsertSql, Parameters(email), cancellationToken);
        LogWithoutSmtp(id, email);
    }

    /// <summary>Queues an email that belongs to no other write (sign-up mail), and wakes the sender.</summary>
    public async Task SendAsync(string? tenantId, string recipient, string subject, string body, CancellationToken cancellationToken = default)
    {
        var email = new OutboundEmail(recipient, subject, body);
        var parameters = new DynamicParameters(Parameters(email));
        parameters.Add("tenant", tenantId, DbType.String);
        var id = await database.ExecuteScalarSharedAsync<long>(InsertSql, parameters, cancellationToken);
        LogWithoutSmtp(id, email);
        Nudge();
    }

    /// <summary>Tells the sender that new mail is committed, so it goes now rather than at the next poll.</summary>
    public void Nudge()
    {
        try
        {
            if (_nudge.CurrentCount == 0) _nudge.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another caller nudged at the same moment; one wake-up is enough.
        }
    }

    /// <summary>Waits for a <see cref="Nudge"/> or the poll interval, whichever comes first.</summary>
    public Task WaitForMailAsync(TimeSpan pollInterval, CancellationToken cancellationToken) => _nudge.WaitAsync(pollInterval, cancellationToken);

    /// <summary>
    /// The newest emails of <paramref name="tenantId"/> and those to <paramref name="recipient"/> (sign-up mail has no
    /// tenant), for local mode's outbox page.
    /// </summary>
    public async Task<IReadOnlyList<KeptEmail>> KeptAsync(string tenantId, string? recipient, int limit, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.QueryAsync<KeptEmail>("""
            SELECT id, recipient, subject, body, created_at, sent_at, attempts, last_error FROM outbound_emails
            WHERE tenant_id = @tenant OR (@recipient::text IS NOT NULL AND lower(recipient) = lower(@recipient))
            ORDER BY id DESC LIMIT @limit
            """, new { recipient, limit }, cancellationToken);
    }

    /// <summary>In a session <c>@tenant</c> is the session's tenant; outside one it is the mail's tenant, if any.</summary>
    private const string InsertSql =
        "INSERT INTO outbound_emails (tenant_id, recipient, subject, body) VALUES (@tenant, @Recipient, @Subject, @Body) RETURNING id";

    private static object Parameters(OutboundEmail email) => new { email.Recipient, email.Subject, email.Body };

    /// <summary>
    /// Logged when queued, for the developer following a link; inside a session that later rolls back, this logs mail
    /// that never leaves (the link in it does not work either, since its invitation rolled back with it).
    /// </summary>
    private void LogWithoutSmtp(long id, OutboundEmail email)
    {
        if (!string.IsNullOrWhiteSpace(smtp.Host)) return;
        logger.LogInformation("Email {Id} to {Recipient} kept in the outbox (no SMTP configured): {Subject}\n{Body}", id, email.Recipient, email.Subject, email.Body);
    }

    public void Dispose() => _nudge.Dispose();
}
