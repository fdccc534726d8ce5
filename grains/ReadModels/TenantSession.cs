using Dapper;
using Npgsql;

namespace Flexoraa.ReadModels;

/// <summary>
/// One transaction scoped to one tenant. Nothing is kept unless <see cref="CommitAsync"/> is called.
/// <para>
/// Stores query through the Dapper methods here: each binds <c>@tenant</c> to this session's tenant, so SQL filters by
/// tenant explicitly (<c>WHERE tenant_id = @tenant</c>) in addition to row-level security, without every call site
/// passing it. Rows map to records by column name (snake_case to PascalCase, see <see cref="SqlTypes"/>).
/// </para>
/// </summary>
public sealed class TenantSession(string tenantId, NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public string TenantId { get; } = tenantId;

    /// <summary>For the hot paths that tune Npgsql by hand (batches, COPY); everything else uses the methods below.</summary>
    public NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

    /// <summary>A binary <c>COPY ... FROM STDIN</c> inside this transaction (bulk writes such as lead imports).</summary>
    public Task<NpgsqlBinaryImporter> BeginBinaryImportAsync(string copyFromStdin, CancellationToken cancellationToken = default) =>
        connection.BeginBinaryImportAsync(copyFromStdin, cancellationToken);

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        (await connection.QueryAsync<T>(Define(sql, parameters, cancellationToken))).AsList();

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        connection.QuerySingleOrDefaultAsync<T>(Define(sql, parameters, cancellationToken));

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        connection.ExecuteScalarAsync<T>(Define(sql, parameters, cancellationToken));

    public Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(Define(sql, parameters, cancellationToken));

    public Task CommitAsync(CancellationToken cancellationToken = default) => transaction.CommitAsync(cancellationToken);

    private CommandDefinition Define(string sql, object? parameters, CancellationToken cancellationToken)
    {
        var bound = new DynamicParameters(parameters);
        bound.Add("tenant", TenantId);
        return new CommandDefinition(sql, bound, transaction, cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
