using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Flexoraa.Silo.Schema;

/// <summary>
/// Applies the versioned SQL scripts embedded under <c>Schema/Migrations</c> (Orleans' tables and queries, then
/// Flexoraa's read models) and records each in <c>flexoraa_schema_history</c>.
/// <para>
/// Everything runs in one transaction behind a transaction-scoped advisory lock, so silos and frontends that start
/// together queue up instead of racing ("tuple concurrently updated"), and a failed script leaves nothing behind.
/// The scripts are idempotent as well, so a history table lost in a restore does no harm.
/// </para>
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator>? logger = null)
{
    /// <summary>An arbitrary constant that names "Flexoraa schema migration" among the database's advisory locks.</summary>
    public const long AdvisoryLockKey = 0x466C_6578_6F72_6161; // "Flexoraa"

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public static IReadOnlyList<Migration> EmbeddedMigrations { get; } = LoadEmbeddedMigrations();

    /// <summary>Applies every migration not yet recorded; returns the versions it applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS flexoraa_schema_history (
                version     varchar(64)  PRIMARY KEY,
                name        varchar(256) NOT NULL,
                checksum    varchar(64)  NOT NULL,
                applied_on  timestamptz  NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand("SELECT version, checksum FROM flexoraa_schema_history", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) applied[reader.GetString(0)] = reader.GetString(1);
        }

        var newlyApplied = new List<string>();
        foreach (var migration in EmbeddedMigrations)
        {
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (checksum != migration.Checksum)
                {
                    // An applied script was edited. Its idempotent text is re-run so the database follows the code,
                    // and the new checksum is recorded; the log line makes the drift visible.
                    _logger.LogWarning("Migration {Version} changed since it was applied; re-applying it", migration.Version);
                }
                else
                {
                    continue;
                }
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand("""
                INSERT INTO flexoraa_schema_history (version, name, checksum) VALUES (@version, @name, @checksum)
                ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, name = EXCLUDED.name, applied_on = now()
                """, connection, transaction);
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("checksum", migration.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
            newlyApplied.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken);
        if (newlyApplied.Count > 0)
        {
            _logger.LogInformation("Applied schema migrations {Versions}", string.Join(", ", newlyApplied));
        }
        return newlyApplied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbeddedMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string marker = ".Schema.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(marker, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var fileName = n[(n.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
                var sql = ReadResource(assembly, n);
                var version = fileName.Split('_', 2)[0];
                var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sql))).ToLowerInvariant();
                return new Migration(version, fileName, sql, checksum);
            })
            .OrderBy(m => m.Version, StringComparer.Ordinal)
            .ToList();
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
