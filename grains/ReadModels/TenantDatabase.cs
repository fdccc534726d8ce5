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

    /// <summary>For tables without tenant data (users) and the SECURITY DEFINER look-ups that run before a tenant is known.</summary>
    public NpgsqlDataSource Shared => appDataSource;

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
                scope.Parameters.AddWithValue("tenant", tenantId);
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
