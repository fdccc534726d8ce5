using System.Collections.Immutable;
using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.ReadModels;

namespace Flexoraa.Leads;

/// <summary>The <c>lead_pipelines</c> rows: the state of record of a tenant's <see cref="PipelinesGrain"/>.</summary>
public sealed class PipelineStore(TenantDatabase database)
{
    public async Task<ImmutableArray<Pipeline>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var rows = await session.QueryAsync<PipelineRow>(
            "SELECT id, name, position, stages::text AS stages, created_at, updated_at FROM lead_pipelines WHERE tenant_id = @tenant ORDER BY position, created_at, id",
            cancellationToken: cancellationToken);
        return [.. rows.Select(r => r.ToPipeline())];
    }

    /// <summary>Inserts or replaces the pipelines given, in one transaction.</summary>
    public async Task SaveAsync(string tenantId, IEnumerable<Pipeline> pipelines, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        foreach (var pipeline in pipelines)
        {
            await session.ExecuteAsync("""
                INSERT INTO lead_pipelines (tenant_id, id, name, position, stages, created_at, updated_at)
                VALUES (@tenant, @id, @name, @position, @stages::jsonb, @createdAt, @updatedAt)
                ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, position = excluded.position, stages = excluded.stages, updated_at = excluded.updated_at
                """, new
                {
                    id = pipeline.Id, name = pipeline.Name, position = pipeline.Position,
                    stages = JsonSerializer.Serialize(pipeline.Stages, ApiJson.Options), createdAt = pipeline.CreatedAt, updatedAt = pipeline.UpdatedAt,
                }, cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
    }

    public async Task DeleteAsync(string tenantId, string pipelineId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("DELETE FROM lead_pipelines WHERE tenant_id = @tenant AND id = @id", new { id = pipelineId }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>How many leads are in each of the stages (of the pipeline) given.</summary>
    public async Task<IReadOnlyDictionary<string, long>> LeadsInStagesAsync(string tenantId, string pipelineId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var rows = await session.QueryAsync<(string StageId, long Count)>(
            "SELECT coalesce(stage_id, '') AS stage_id, count(*) AS count FROM leads WHERE tenant_id = @tenant AND pipeline_id = @pipeline GROUP BY stage_id",
            new { pipeline = pipelineId }, cancellationToken);
        return rows.ToDictionary(r => r.StageId, r => r.Count);
    }

    private sealed class PipelineRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public int Position { get; init; }
        public string Stages { get; init; } = "[]";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public Pipeline ToPipeline() => new(Id, Name, Position, [.. JsonSerializer.Deserialize<PipelineStage[]>(Stages, ApiJson.Options) ?? []], CreatedAt, UpdatedAt);
    }
}
