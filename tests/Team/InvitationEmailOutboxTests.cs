using System.Net;
using netDumbster.smtp;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Team;

/// <summary>
/// An invitation and its email are one unit: the email is written to the outbox in the invitation's transaction, so a
/// failure writing it leaves neither; once written, an SMTP outage only delays it, because the sender retries from the
/// outbox. The host's SMTP server is a port where nothing listens until a test starts a fake server there.
/// </summary>
public sealed class InvitationEmailOutboxTests : IAsyncLifetime
{
    private readonly int _smtpPort = FreePort.Next();
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync()
    {
        _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), extraArgs:
        [
            "--Flexoraa:Smtp:Host=127.0.0.1",
            $"--Flexoraa:Smtp:Port={_smtpPort}",
            "--Flexoraa:Smtp:UseStartTls=false",
            "--Flexoraa:Smtp:RetryDelay=00:00:00.200",
            "--Flexoraa:Smtp:OutboxPollInterval=00:00:00.200",
        ]);
        // Fault injection: writing an email to these addresses fails, as a bad tenant name or a full disk would.
        await OwnerSql.ExecuteAsync(_frontend, """
            CREATE FUNCTION test_refuse_email() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.recipient LIKE 'unwritable-%' THEN RAISE EXCEPTION 'injected failure writing the email'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_refuse_email BEFORE INSERT ON outbound_emails FOR EACH ROW EXECUTE FUNCTION test_refuse_email();
            """);
    }

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task When_the_email_cannot_be_written_there_is_no_invitation_either()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Atomic Ltd");
        var email = $"unwritable-{Guid.NewGuid():N}@example.com";

        var invited = await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member");

        Assert.False(invited.IsSuccessStatusCode, $"the invitation answered {invited.StatusCode}");
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM invitations WHERE email = @email", ("email", email)));
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM outbound_emails WHERE recipient = @email", ("email", email)));
        // And the failure held no seat: the tenant's next invitation is there with its email.
        var other = $"invitee-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await TeamInvites.InviteAsync(owner.Http, owner.TenantId, other, "member")).StatusCode);
        Assert.Single(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM invitations WHERE email = @email", ("email", other)));
        Assert.Single(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM outbound_emails WHERE recipient = @email", ("email", other)));
    }

    [Fact]
    public async Task An_smtp_outage_does_not_lose_the_invitation_email_it_is_retried_from_the_outbox()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Patient Ltd");
        var email = $"invitee-{Guid.NewGuid():N}@example.com";

        Assert.Equal(HttpStatusCode.Created, (await TeamInvites.InviteAsync(owner.Http, owner.TenantId, email, "member")).StatusCode);
        await Eventually.Get(() => OutboxRowAsync(email), row => (int)row["attempts"]! >= 2 && row["last_error"] is string,
            TimeSpan.FromSeconds(30), "two failed delivery attempts while SMTP is down");

        using var smtp = SimpleSmtpServer.Start(_smtpPort);
        await Eventually.Get(() => OutboxRowAsync(email), row => row["sent_at"] is DateTime or DateTimeOffset,
            TimeSpan.FromSeconds(60), "the email to be sent once SMTP is back");

        var delivered = Assert.Single(smtp.ReceivedEmail, m => m.ToAddresses.Any(a => a.Address == email));
        Assert.Contains("invited", delivered.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Invitation token: ", delivered.MessageParts[0].BodyData, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, object?>> OutboxRowAsync(string email) =>
        Assert.Single(await OwnerSql.QueryAsync(_frontend, "SELECT attempts, last_error, sent_at FROM outbound_emails WHERE recipient = @email", ("email", email)));
}
