using Flexoraa.Channels;
using Flexoraa.ReadModels;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Flexoraa.Tests.ReadModels;

/// <summary>
/// Stores filter by <c>tenant_id = @tenant</c> themselves, not only through row-level security: a session opened on the
/// owner's connection, which row-level security does not restrict, still sees only its own tenant's rows. This is
/// what keeps tenants apart should a policy ever be dropped or a table be created without one.
/// </summary>
public sealed class ExplicitTenantFilterTests : IAsyncLifetime
{
    private FlexoraaDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await FlexoraaDatabase.ConnectAsync(await TestPostgres.CreateDatabaseAsync(), NullLoggerFactory.Instance);
        await using var owner = await OwnerAsync();
        await using var seed = new NpgsqlCommand("""
            INSERT INTO channel_accounts (id, tenant_id, channel, external_account_id, display_name, access_token_protected, app_secret_fingerprint)
            VALUES ('ch_a1', 'tn_a', 'whatsapp', '111', 'A', 'tok-a', 'fa'),
                   ('ch_b1', 'tn_b', 'whatsapp', '333', 'B', 'tok-b', 'fb'),
                   ('ch_b2', 'tn_b', 'messenger', '444', 'B page', 'tok-b2', 'fb2');
            """, owner);
        await seed.ExecuteNonQueryAsync();
        SqlTypes.Register();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A session over the owner's connection; the session owns the connection and closes it.</summary>
    private async Task<TenantSession> OwnerSessionAsync(string tenantId)
    {
        var owner = await OwnerAsync();
        return new TenantSession(tenantId, owner, await owner.BeginTransactionAsync());
    }

    private async Task<NpgsqlConnection> OwnerAsync()
    {
        var owner = new NpgsqlConnection(_database.ConnectionString);
        await owner.OpenAsync();
        return owner;
    }

    [Fact]
    public async Task A_session_without_row_level_security_still_reads_only_its_tenants_channel_accounts()
    {
        await using var session = await OwnerSessionAsync("tn_a");
        // The owner really does see every tenant's rows, so what follows is the stores' own filter at work.
        Assert.Equal(3L, await session.ExecuteScalarAsync<long>("SELECT count(*) FROM channel_accounts"));

        Assert.Equal(["ch_a1"], (await ChannelAccountStore.ListAsync(session, after: null, limit: 10)).Select(a => a.Id));
        Assert.Equal(1, await ChannelAccountStore.CountLiveAsync(session));
        Assert.Null(await ChannelAccountStore.FindAsync(session, "ch_b1"));
        Assert.Null(await ChannelAccountStore.FindLiveAsync(session, ChannelKind.Messenger, "444"));
    }

    [Fact]
    public async Task A_session_without_row_level_security_cannot_change_another_tenants_channel_account()
    {
        await using (var session = await OwnerSessionAsync("tn_a"))
        {
            await ChannelAccountStore.DisconnectAsync(session, "ch_b1", DateTimeOffset.UtcNow);
            await session.CommitAsync();
        }
        await using var owner = await OwnerAsync();
        await using var check = new NpgsqlCommand("SELECT deleted_at IS NULL FROM channel_accounts WHERE id = 'ch_b1'", owner);
        Assert.Equal(true, await check.ExecuteScalarAsync());
    }
}
