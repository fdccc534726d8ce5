using Npgsql;

namespace Flexoraa.ReadModels;

/// <summary>One transaction scoped to one tenant. Nothing is kept unless <see cref="CommitAsync"/> is called.</summary>
public sealed class TenantSession(string tenantId, NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public string TenantId { get; } = tenantId;

    public NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

    public Task CommitAsync(CancellationToken cancellationToken = default) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
