using Dapper;
using Npgsql;

namespace Flexoraa.ReadModels;

/// <summary>
/// The application's way into PostgreSQL's read models, as the <c>flexoraa_app</c> role that row-level security binds.
/// Tenant data is only reachable through <see cref="BeginAsync"/>, which pins the transaction to one tenant.
/// </summary>
public sealed class TenantDatabase
{
    private readonly NpgsqlDataSource appDataSource;

    public TenantDatabase(NpgsqlDataSource appDataSource)
    {
        SqlTypes.Register();
        this.appDataSource = appDataSource;
    }

    /// <summary>
    /// For hand-tuned Npgsql outside a tenant (the inbox writer); stores use the <c>*SharedAsync</c> methods below.
    /// </summary>
    public NpgsqlDataSource Shared => appDataSource;

    // Tables without tenant data (users, signup requests, OAuth states, the email outbox) and the SECURITY DEFINER
    // look-ups that run before a tenant is known: one statement on its own connection, no tenant bound, so SQL that
    // needs a tenant must name it as an ordinary parameter. Rows map by column name, as in TenantSession.

    /// <summary>A transaction outside any tenant, for shared tables whose statements must commit together.</summary>
    public async Task<SharedSession> BeginSharedAsync(CancellationToken cancellationToken = default)
    {
        var connection = await appDataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return new SharedSession(connection, await connection.BeginTransactionAsync(cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IReadOnlyList<T>> QuerySharedAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await appDataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<T?> QuerySingleOrDefaultSharedAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await appDataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public async Task<T?> ExecuteScalarSharedAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await appDataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public async Task<int> ExecuteSharedAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await appDataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    /// <summary>Opens a transaction in which every tenant table shows and accepts only <paramref name="tenantId"/>'s rows.</summary>
    public async Task<TenantSession> BeginAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var connection = await appDataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var scope = new NpgsqlCommand("SELECT set_config('app.tenant_id', @tenant, true)", connection, transaction))
            {
                // Hand-built on purpose: it runs on every session, before any store query, and needs no mapping.
                scope.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
                await scope.ExecuteNonQueryAsync(cancellationToken);
            }
            return new TenantSession(tenantId, connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
