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
    public string ConnectionString { get; }
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

        await using (var dataSource = NpgsqlDataSource.Create(database.ConnectionString))
        {
            await new SchemaMigrator(dataSource, loggerFactory.CreateLogger<SchemaMigrator>()).MigrateAsync(cancellationToken);
        }
        return database;
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
        if (LocalServer is not null) await LocalServer.StopAsync();
    }
}
