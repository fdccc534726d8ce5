using System.Xml.Linq;
using Flexoraa.Channels;
using Flexoraa.ReadModels;
using Flexoraa.Silo.DataProtection;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Flexoraa.Tests.ChannelAccounts;

/// <summary>
/// <c>channel_accounts</c> and <c>data_protection_keys</c> as the application role sees them: row-level security, what
/// it may change, the look-ups that run before a tenant is known, and the key ring repository.
/// </summary>
public sealed class ChannelAccountSchemaTests : IAsyncLifetime
{
    private FlexoraaDatabase _database = null!;
    private NpgsqlDataSource _app = null!;

    public async Task InitializeAsync()
    {
        _database = await FlexoraaDatabase.ConnectAsync(await TestPostgres.CreateDatabaseAsync(), NullLoggerFactory.Instance);
        _app = NpgsqlDataSource.Create(_database.AppConnectionString);
        await OwnerExecuteAsync("""
            INSERT INTO channel_accounts (id, tenant_id, channel, external_account_id, display_name, access_token_protected, app_secret_protected,
                                          verify_token_hash, app_secret_fingerprint, deleted_at)
            VALUES ('ch_a1', 'tn_a', 'whatsapp', '111', 'A', 'tok-a', 'secret-a', sha256('verify-a'), 'fa', NULL),
                   ('ch_a2', 'tn_a', 'messenger', '222', 'A page', 'tok-a2', 'secret-a2', NULL, 'fa2', NULL),
                   ('ch_b1', 'tn_b', 'whatsapp', '333', 'B', 'tok-b', NULL, sha256('verify-b'), 'fb', NULL),
                   ('ch_b0', 'tn_b', 'whatsapp', '444', 'B old', 'tok-b0', 'secret-gone', sha256('verify-gone'), 'fb0', now());
            """);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Without_the_tenant_setting_no_channel_account_is_visible_and_a_session_sees_only_its_tenants()
    {
        await using var unscoped = _app.CreateCommand("SELECT count(*) FROM channel_accounts");
        Assert.Equal(0L, (long)(await unscoped.ExecuteScalarAsync())!);

        await using var session = await new TenantDatabase(_app).BeginAsync("tn_a");
        await using var scoped = session.Command("SELECT string_agg(id, ',' ORDER BY id) FROM channel_accounts");
        Assert.Equal("ch_a1,ch_a2", await scoped.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_tenant_session_cannot_write_a_channel_account_for_another_tenant()
    {
        await using var session = await new TenantDatabase(_app).BeginAsync("tn_a");
        await using var insert = session.Command("""
            INSERT INTO channel_accounts (id, tenant_id, channel, external_account_id, display_name, access_token_protected, app_secret_fingerprint)
            VALUES ('ch_x', 'tn_b', 'instagram', '555', 'X', 't', 'f')
            """);

        var error = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task A_second_live_row_for_one_account_is_refused_even_from_another_tenant()
    {
        await using var session = await new TenantDatabase(_app).BeginAsync("tn_b");
        var duplicate = new ChannelAccountRecord("ch_dup", "tn_b", ChannelKind.WhatsApp, "111", "Dup", null, null, "t", null, null, null, "f",
            ChannelAccountRecord.Active, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

        Assert.False(await ChannelAccountStore.InsertAsync(session, duplicate));
    }

    [Fact]
    public async Task A_disconnected_account_can_be_connected_again()
    {
        await using var session = await new TenantDatabase(_app).BeginAsync("tn_a");
        var again = new ChannelAccountRecord("ch_again", "tn_a", ChannelKind.WhatsApp, "444", "Again", null, null, "t", null, null, null, "f",
            ChannelAccountRecord.Active, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

        Assert.True(await ChannelAccountStore.InsertAsync(session, again));
    }

    [Theory]
    [InlineData("DELETE FROM channel_accounts")]
    [InlineData("UPDATE data_protection_keys SET xml = '<x/>'")]
    [InlineData("DELETE FROM data_protection_keys")]
    public async Task The_application_role_cannot_hard_delete_accounts_or_change_the_key_ring(string sql)
    {
        await using var session = await new TenantDatabase(_app).BeginAsync("tn_a");
        await using var command = session.Command(sql);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task The_lookups_before_a_tenant_is_known_see_live_accounts_of_every_tenant_and_nothing_else()
    {
        var store = new ChannelAccountStore(new TenantDatabase(_app));

        Assert.Equal(["secret-a"], await store.ProtectedAppSecretsAsync(ChannelKind.WhatsApp));
        Assert.Equal(["secret-a2"], await store.ProtectedAppSecretsAsync(ChannelKind.Messenger));
        Assert.Empty(await store.ProtectedAppSecretsAsync(ChannelKind.Instagram));
        Assert.True(await store.VerifyTokenExistsAsync(ChannelKind.WhatsApp, "verify-a"));
        Assert.True(await store.VerifyTokenExistsAsync(ChannelKind.WhatsApp, "verify-b"));
        Assert.False(await store.VerifyTokenExistsAsync(ChannelKind.WhatsApp, "verify-gone"));
        Assert.False(await store.VerifyTokenExistsAsync(ChannelKind.Messenger, "verify-a"));
    }

    [Fact]
    public void The_key_ring_repository_returns_what_it_stored_and_ignores_a_repeated_store()
    {
        var repository = new PostgresXmlRepository(_app);
        var key = new XElement("key", new XAttribute("id", Guid.NewGuid()), new XElement("secret", "k1"));

        repository.StoreElement(key, "key-one");
        repository.StoreElement(key, "key-one");
        repository.StoreElement(new XElement("revocation"), "revocation-one");

        var stored = repository.GetAllElements();
        Assert.Equal(["key", "revocation"], stored.Select(e => e.Name.LocalName));
        Assert.Equal(key.ToString(), stored.First().ToString());
    }

    private async Task OwnerExecuteAsync(string sql)
    {
        await using var owner = new NpgsqlConnection(_database.ConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand(sql, owner);
        await command.ExecuteNonQueryAsync();
    }
}
