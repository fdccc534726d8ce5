using Flexoraa.Silo.Schema;
using Flexoraa.Tests.Infrastructure;
using Npgsql;

namespace Flexoraa.Tests.Foundation;

public sealed class SchemaMigrationTests
{
    /// <summary>Every query key Orleans' ADO.NET clustering, persistence, reminders and streaming providers load at start-up.</summary>
    public static readonly string[] RequiredOrleansQueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowKey", "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        "QueueStreamMessageKey", "GetStreamMessagesKey", "ConfirmStreamMessagesKey", "FailStreamMessageKey", "EvictStreamMessagesKey", "EvictStreamDeadLettersKey",
    ];

    [Fact]
    public async Task A_new_database_gets_every_migration_and_each_is_recorded_once()
    {
        await using var db = NpgsqlDataSource.Create(await TestPostgres.CreateEmptyDatabaseAsync());

        var applied = await new SchemaMigrator(db).MigrateAsync();

        Assert.Equal(SchemaMigrator.EmbeddedMigrations.Select(m => m.Version), applied);
        Assert.Equal(applied.Count, await Scalar<long>(db, "SELECT count(*) FROM flexoraa_schema_history"));
    }

    [Fact]
    public async Task The_orleans_query_table_holds_every_key_the_providers_require()
    {
        await using var db = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync());

        var keys = new List<string>();
        await using var command = db.CreateCommand("SELECT querykey FROM orleansquery");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));

        Assert.Empty(RequiredOrleansQueryKeys.Except(keys, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Migrating_again_applies_nothing_and_changes_nothing()
    {
        await using var db = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync());
        var historyBefore = await Scalar<long>(db, "SELECT count(*) FROM flexoraa_schema_history");

        var applied = await new SchemaMigrator(db).MigrateAsync();

        Assert.Empty(applied);
        Assert.Equal(historyBefore, await Scalar<long>(db, "SELECT count(*) FROM flexoraa_schema_history"));
    }

    [Fact]
    public async Task Every_script_can_be_run_twice_on_the_same_database()
    {
        // The history table normally prevents a re-run, but a restored or hand-edited database may lack it.
        await using var db = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync());
        foreach (var migration in SchemaMigrator.EmbeddedMigrations)
        {
            await using var command = db.CreateCommand(migration.Sql);
            await command.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Processes_that_start_together_migrate_safely_and_apply_each_script_once()
    {
        await using var db = NpgsqlDataSource.Create(await TestPostgres.CreateEmptyDatabaseAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => new SchemaMigrator(db).MigrateAsync())));

        Assert.Equal(SchemaMigrator.EmbeddedMigrations.Count, results.Sum(r => r.Count));
        Assert.Single(results, r => r.Count > 0);
        Assert.Equal(SchemaMigrator.EmbeddedMigrations.Count, await Scalar<long>(db, "SELECT count(*) FROM flexoraa_schema_history"));
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
