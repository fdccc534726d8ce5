using Flexoraa.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// Reads and writes the frontend's database as its owner, which row-level security does not restrict: tests use it to
/// see what the application wrote (audit rows, outbox) and to age rows, never to set up what the API itself can do.
/// </summary>
public static class OwnerSql
{
    public static async Task<List<Dictionary<string, object?>>> QueryAsync(TestFrontend frontend, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(frontend);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public static async Task<int> ExecuteAsync(TestFrontend frontend, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(frontend);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenAsync(TestFrontend frontend)
    {
        var connection = new NpgsqlConnection(frontend.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
