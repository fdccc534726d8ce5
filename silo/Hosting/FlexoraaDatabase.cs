using Flexoraa.Silo.Postgres;
using Flexoraa.Silo.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Flexoraa.Silo.Hosting;

/// <summary>
/// The one PostgreSQL database every part of Flexoraa uses, resolved once at start-up:
/// in cluster mode from <c>ConnectionStrings:Postgres</c>, in local mode by starting (or reusing) a private server.
/// Migrations are applied before anything else touches the database.
/// </summary>
public sealed class FlexoraaDatabase : IAsyncDisposable
{
    public const string ConnectionStringName = "Postgres";
    public const string LocalDatabaseName = "flexoraa";

    public RunMode Mode { get; }

    /// <summary>The owner's connection: migrations and Orleans' own tables.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// The application role's connection (<c>flexoraa_app</c>): every read model and identity query. That role cannot
    /// bypass row-level security, so a query that forgets its tenant sees nothing rather than everyone's rows.
    /// </summary>
    public string AppConnectionString { get; private set; } = "";
    public string DataDirectory { get; }

    /// <summary>The private server in local mode; null in cluster mode.</summary>
    public LocalPostgresServer? LocalServer { get; }

    private FlexoraaDatabase(RunMode mode, string connectionString, string dataDirectory, LocalPostgresServer? localServer)
    {
        Mode = mode;
        ConnectionString = connectionString;
        DataDirectory = dataDirectory;
        LocalServer = localServer;
    }

    /// <summary>Resolves the database for this process, starting a private server in local mode, and migrates it.</summary>
    public static async Task<FlexoraaDatabase> PrepareAsync(IConfiguration configuration, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        var dataDirectory = Path.GetFullPath(configuration["Flexoraa:DataDirectory"] ?? DefaultDataDirectory());
        var configured = configuration.GetConnectionString(ConnectionStringName);

        FlexoraaDatabase database;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            database = new FlexoraaDatabase(RunMode.Cluster, configured, dataDirectory, null);
        }
        else
        {
            var postgresDirectory = configuration["Flexoraa:PostgresDirectory"] ?? Path.Combine(dataDirectory, "postgres");
            var server = new LocalPostgresServer(postgresDirectory, PostgresBinaries.FindOrThrow(), loggerFactory.CreateLogger<LocalPostgresServer>());
            await server.StartAsync(cancellationToken);
            await server.EnsureDatabaseAsync(LocalDatabaseName, cancellationToken);
            database = new FlexoraaDatabase(RunMode.Local, server.ConnectionString(LocalDatabaseName), dataDirectory, server);
        }

        await database.MigrateAndConnectAppRoleAsync(configuration.GetConnectionString(AppConnectionStringName), loggerFactory, cancellationToken);
        return database;
    }

    public const string AppConnectionStringName = "PostgresApp";
    public const string AppRole = "flexoraa_app";

    /// <summary>A cluster-mode database for an already running server (the tests use this for their own databases).</summary>
    public static async Task<FlexoraaDatabase> ConnectAsync(string connectionString, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        var database = new FlexoraaDatabase(RunMode.Cluster, connectionString, DefaultDataDirectory(), null);
        await database.MigrateAndConnectAppRoleAsync(null, loggerFactory, cancellationToken);
        return database;
    }

    private async Task MigrateAndConnectAppRoleAsync(string? explicitAppConnectionString, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        await using var owner = NpgsqlDataSource.Create(ConnectionString);
        await new SchemaMigrator(owner, loggerFactory.CreateLogger<SchemaMigrator>()).MigrateAsync(cancellationToken);
        AppConnectionString = explicitAppConnectionString ?? await EnsureAppRoleLoginAsync(owner, cancellationToken);
    }

    /// <summary>
    /// The app role's password is derived from the owner's credentials, so every process of a deployment computes the same
    /// one without storing it anywhere; it is (re)set only when logging in with it fails, under the migration lock.
    /// </summary>
    private async Task<string> EnsureAppRoleLoginAsync(NpgsqlDataSource owner, CancellationToken cancellationToken)
    {
        var ownerBuilder = new NpgsqlConnectionStringBuilder(ConnectionString);
        var secret = System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{ownerBuilder.Username}:{ownerBuilder.Password}"),
            System.Text.Encoding.UTF8.GetBytes(AppRole));
        var password = Convert.ToHexString(secret).ToLowerInvariant();
        var app = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = AppRole, Password = password }.ConnectionString;

        if (await CanLogInAsync(app, cancellationToken)) return app;

        try
        {
            await using var connection = await owner.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaMigrator.AdvisoryLockKey})", connection, transaction);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            // The password is hex, so it cannot break out of the literal; ALTER ROLE takes no parameters.
            await using var alter = new NpgsqlCommand($"ALTER ROLE {AppRole} WITH LOGIN PASSWORD '{password}'", connection, transaction);
            await alter.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InternalError)
        {
            // Roles are server-wide and the advisory lock is per database, so another database's start-up may set the
            // same derived password at the same moment ("tuple concurrently updated"); the check below settles it.
        }
        if (!await CanLogInAsync(app, cancellationToken))
        {
            throw new InvalidOperationException(
                $"Cannot log in as the application role {AppRole}. Grant the owner CREATEROLE, or create a role that cannot bypass " +
                $"row-level security yourself and set ConnectionStrings__{AppConnectionStringName} to it.");
        }
        return app;
    }

    private static async Task<bool> CanLogInAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>.flexoraa</c> at the root of the checkout (the folder with <c>Flexoraa.sln</c>), so that
    /// <c>dotnet run --project frontend-api</c> and <c>dotnet run --project silo</c>, which run from their project folders,
    /// share one database. Outside a checkout it is <c>.flexoraa</c> in the current folder.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flexoraa.sln"))) return Path.Combine(dir.FullName, ".flexoraa");
        }
        return Path.Combine(Directory.GetCurrentDirectory(), ".flexoraa");
    }

    public async ValueTask DisposeAsync()
    {
        if (LocalServer is null) return;
        await LocalServer.StopAsync();
        // Pooled connections to a stopped server are dead; drop them so a restart in this process starts clean.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        if (AppConnectionString.Length > 0) NpgsqlConnection.ClearPool(new NpgsqlConnection(AppConnectionString));
    }
}
