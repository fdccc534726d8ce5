using Flexoraa.Silo.Postgres;
using Flexoraa.Silo.Schema;
using Npgsql;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the whole test run shares. With <c>FLEXORAA_TEST_POSTGRES</c> set (a superuser connection
/// string) it uses that server; otherwise it starts a throwaway one with local mode's own code in a temp folder and
/// removes it when the run ends. Without either it fails every test that needs it, saying how to install PostgreSQL.
/// Each test class asks for its own database, so classes run in parallel without seeing each other's rows.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "FLEXORAA_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> AdminConnectionString = new(StartAsync);
    private static LocalPostgresServer? _server;
    private static string? _serverRoot;

    /// <summary>Creates a fresh database with every migration applied and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var connectionString = await CreateEmptyDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource).MigrateAsync();
        return connectionString;
    }

    /// <summary>Creates an empty database (no migrations) for tests of the migrator itself.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync()
    {
        var admin = await AdminConnectionString.Value;
        var name = $"t_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException(
            $"The tests need PostgreSQL. Set {EnvironmentVariable} to a superuser connection string of a running server, " +
            "or install the PostgreSQL server programs so the tests can start a throwaway one. " + PostgresBinaries.InstallHint);

        await RemoveLeftoversOfEndedRunsAsync(binaries);
        _serverRoot = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        _server = new LocalPostgresServer(_serverRoot, binaries);
        await _server.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAndRemove();
        return _server.ConnectionString();
    }

    private const string FolderPrefix = "flexoraa-test-pg-";

    private static void StopAndRemove()
    {
        if (_server is null || _serverRoot is null) return;
        StopAndRemoveAsync(_server, _serverRoot).GetAwaiter().GetResult();
    }

    private static async Task StopAndRemoveAsync(LocalPostgresServer server, string root)
    {
        try
        {
            await server.StopAsync(immediate: true);
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Could not remove the test PostgreSQL at {root}: {e.Message}");
        }
    }

    /// <summary>
    /// The test host may be torn down before its exit handler finishes; a later run removes what such a run left,
    /// recognising it by the process id in the folder name.
    /// </summary>
    private static async Task RemoveLeftoversOfEndedRunsAsync(PostgresBinaries binaries)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var pidText = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-')[0];
            if (!int.TryParse(pidText, out var pid) || IsRunning(pid)) continue;
            await StopAndRemoveAsync(new LocalPostgresServer(folder, binaries), folder);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
