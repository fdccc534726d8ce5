using Flexoraa.ReadModels;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Flexoraa.Tests.Identity;

/// <summary>Row-level security on the tenant tables, as the application role sees them.</summary>
public sealed class RowLevelSecurityTests : IAsyncLifetime
{
    private FlexoraaDatabase _database = null!;
    private NpgsqlDataSource _app = null!;

    public async Task InitializeAsync()
    {
        _database = await FlexoraaDatabase.ConnectAsync(await TestPostgres.CreateDatabaseAsync(), NullLoggerFactory.Instance);
        _app = NpgsqlDataSource.Create(_database.AppConnectionString);
        await using var owner = new NpgsqlConnection(_database.ConnectionString);
        await owner.OpenAsync();
        await using var seed = new NpgsqlCommand("""
            INSERT INTO audit_log (tenant_id, action) VALUES ('tn_a', 'auth.login'), ('tn_a', 'auth.login'), ('tn_b', 'auth.login');
            INSERT INTO tenant_members (tenant_id, user_id, role, email, display_name, joined_at)
            VALUES ('tn_a', 'us_1', 'owner', 'a@x', 'A', now()), ('tn_b', 'us_2', 'owner', 'b@x', 'B', now());
            """, owner);
        await seed.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("audit_log")]
    [InlineData("tenant_members")]
    [InlineData("api_keys")]
    [InlineData("invitations")]
    [InlineData("refresh_tokens")]
    [InlineData("media_objects")]
    [InlineData("canned_responses")]
    public async Task A_query_without_the_tenant_setting_sees_no_rows(string table)
    {
        await using var command = _app.CreateCommand($"SELECT count(*) FROM {table}");

        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_tenant_session_sees_only_its_own_rows()
    {
        var tenants = new TenantDatabase(_app);
        await using var session = await tenants.BeginAsync("tn_a");
        await using var command = session.Command("SELECT count(*), count(DISTINCT tenant_id) FROM audit_log");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.Equal(2L, reader.GetInt64(0));
        Assert.Equal(1L, reader.GetInt64(1));
    }

    [Fact]
    public async Task A_tenant_session_cannot_write_a_row_for_another_tenant()
    {
        var tenants = new TenantDatabase(_app);
        await using var session = await tenants.BeginAsync("tn_a");
        await using var insert = session.Command("INSERT INTO audit_log (tenant_id, action) VALUES ('tn_b', 'forged')");

        var error = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task The_application_role_cannot_switch_row_security_off_or_read_orleans_tables()
    {
        await using var connection = await _app.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("SET row_security = off; SELECT count(*) FROM audit_log", connection))
        {
            // With row_security off, a role subject to a policy gets an error instead of unfiltered rows.
            var error = await Assert.ThrowsAsync<PostgresException>(() => off.ExecuteScalarAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }
        await using var reset = new NpgsqlCommand("RESET row_security", connection);
        await reset.ExecuteNonQueryAsync();
        await using var storage = new NpgsqlCommand("SELECT count(*) FROM orleansstorage", connection);
        var denied = await Assert.ThrowsAsync<PostgresException>(() => storage.ExecuteScalarAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task The_application_role_is_not_a_superuser_and_cannot_bypass_rls()
    {
        await using var command = _app.CreateCommand("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.False(reader.GetBoolean(0));
        Assert.False(reader.GetBoolean(1));
    }
}
