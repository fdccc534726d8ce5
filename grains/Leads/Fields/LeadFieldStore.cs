using System.Collections.Immutable;
using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.ReadModels;

namespace Flexoraa.Leads.Fields;

/// <summary>The <c>lead_fields</c> rows: the state of record of a tenant's <see cref="LeadFieldsGrain"/>.</summary>
public sealed class LeadFieldStore(TenantDatabase database)
{
    public async Task<ImmutableArray<LeadFieldDefinition>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var rows = await session.QueryAsync<FieldRow>(
            "SELECT key, label, type, options::text AS options, position, created_at, updated_at FROM lead_fields WHERE tenant_id = @tenant ORDER BY position, key",
            cancellationToken: cancellationToken);
        return [.. rows.Select(r => r.ToDefinition())];
    }

    public async Task SaveAsync(string tenantId, LeadFieldDefinition field, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("""
            INSERT INTO lead_fields (tenant_id, key, label, type, options, position, created_at, updated_at)
            VALUES (@tenant, @key, @label, @type, @options::jsonb, @position, @createdAt, @updatedAt)
            ON CONFLICT (tenant_id, key) DO UPDATE SET label = excluded.label, options = excluded.options, position = excluded.position, updated_at = excluded.updated_at
            """, new
            {
                key = field.Key, label = field.Label, type = ApiJson.NameOf(field.Type), options = JsonSerializer.Serialize(field.Options, ApiJson.Options),
                position = field.Position, createdAt = field.CreatedAt, updatedAt = field.UpdatedAt,
            }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task DeleteAsync(string tenantId, string key, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("DELETE FROM lead_fields WHERE tenant_id = @tenant AND key = @key", new { key }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>How many of the tenant's leads hold one of <paramref name="values"/> in the field.</summary>
    public async Task<long> LeadsWithValuesAsync(string tenantId, string key, IReadOnlyCollection<string> values, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM leads WHERE tenant_id = @tenant AND custom_fields ->> @key = ANY(@values)", new { key, values = values.ToArray() }, cancellationToken);
    }

    private sealed class FieldRow
    {
        public string Key { get; init; } = "";
        public string Label { get; init; } = "";
        public string Type { get; init; } = "";
        public string Options { get; init; } = "[]";
        public int Position { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public LeadFieldDefinition ToDefinition() => new(Key, Label, ApiJson.Parse<LeadFieldType>(Type),
            [.. JsonSerializer.Deserialize<string[]>(Options, ApiJson.Options) ?? []], Position, CreatedAt, UpdatedAt);
    }
}
