using Dapper;
using Npgsql;

namespace Flexoraa.ReadModels;

/// <summary>
/// One transaction on tables without tenant data (webhook dead letters, the email outbox), where several statements
/// must commit together. Like <see cref="TenantSession"/> but binds no tenant: there is none to bind. Nothing is kept
/// unless <see cref="CommitAsync"/> is called.
/// </summary>
public sealed class SharedSession(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))).AsList();

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

    public Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

    public Task CommitAsync(CancellationToken cancellationToken = default) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
