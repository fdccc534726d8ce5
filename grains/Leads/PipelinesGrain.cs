using System.Collections.Immutable;
using System.Security.Cryptography;

namespace Flexoraa.Leads;

/// <summary>
/// A tenant's pipelines (see <see cref="IPipelinesGrain"/>), kept in memory and written through to <c>lead_pipelines</c>
/// before the change is taken in. The default pipeline is made on the first activation that finds none.
/// </summary>
public sealed class PipelinesGrain(PipelineStore store, TimeProvider clock) : Grain, IPipelinesGrain
{
    public const int MaxPipelines = 20;
    public const int MaxStages = 20;
    public const int MaxNameLength = 60;

    /// <summary>The default pipeline's name; <c>ContactLeadLinks</c> makes the same pipeline when a conversation's lead is a tenant's first.</summary>
    public const string DefaultPipelineName = "Sales";

    private string _tenantId = "";
    private ImmutableArray<Pipeline> _pipelines = [];

    public static ImmutableArray<PipelineStage> DefaultStages { get; } =
    [
        new("st_new", "New", PipelineStageKind.Open),
        new("st_contacted", "Contacted", PipelineStageKind.Open),
        new("st_qualified", "Qualified", PipelineStageKind.Open),
        new("st_proposal", "Proposal", PipelineStageKind.Open),
        new("st_won", "Won", PipelineStageKind.Won),
        new("st_lost", "Lost", PipelineStageKind.Lost),
    ];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenantId = this.GetPrimaryKeyString();
        _pipelines = await store.ListAsync(_tenantId, cancellationToken);
        if (_pipelines.IsEmpty)
        {
            var now = clock.GetUtcNow();
            var pipeline = new Pipeline(DefaultPipelineId(_tenantId), DefaultPipelineName, 0, DefaultStages, now, now);
            await store.SaveAsync(_tenantId, [pipeline], cancellationToken);
            _pipelines = await store.ListAsync(_tenantId, cancellationToken);
        }
    }

    /// <summary>
    /// Derived from the tenant, so two activations racing to make the default write the same row, and different per
    /// tenant, so a pipeline id never names a resource in two tenants.
    /// </summary>
    public static string DefaultPipelineId(string tenantId)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("default-pipeline\n" + tenantId));
        return "pl_" + string.Concat(hash.Take(12).Select(b => LeadKeys.Alphabet[b % LeadKeys.Alphabet.Length]));
    }

    public Task<ImmutableArray<Pipeline>> List() => Task.FromResult(_pipelines);

    public async Task<PipelineChangeResult> Create(PipelineDraft draft)
    {
        if (_pipelines.Length >= MaxPipelines) return PipelineChangeResult.Conflict($"A tenant has at most {MaxPipelines} pipelines.");
        if (draft.Name is null) return PipelineChangeResult.Invalid("name", "A pipeline needs a name.");
        var stages = draft.Stages ?? [.. DefaultStages.Select(s => new PipelineStageDraft(null, s.Name, s.Kind))];
        if (!TryStages(stages, [], out var built, out var failure)) return failure;
        if (CheckName(draft.Name) is { } invalid) return invalid;
        var now = clock.GetUtcNow();
        var pipeline = new Pipeline("pl_" + RandomNumberGenerator.GetString(LeadKeys.Alphabet, 12), draft.Name.Trim(),
            draft.Position ?? (_pipelines.IsEmpty ? 0 : _pipelines.Max(p => p.Position) + 1), built, now, now);
        await store.SaveAsync(_tenantId, [pipeline]);
        _pipelines = Sorted(_pipelines.Add(pipeline));
        return new PipelineChangeResult(PipelineChangeOutcome.Changed, pipeline);
    }

    public async Task<PipelineChangeResult> Update(string pipelineId, PipelineDraft draft)
    {
        if (_pipelines.FirstOrDefault(p => p.Id == pipelineId) is not { } current) return PipelineChangeResult.NotFound;
        if (draft.Name is not null && CheckName(draft.Name) is { } invalid) return invalid;
        var stages = current.Stages;
        if (draft.Stages is { } given)
        {
            if (!TryStages(given, current.Stages, out stages, out var failure)) return failure;
            // A stage that leads are in cannot go away: they would be in no stage at all.
            var removed = current.Stages.Where(s => !stages.Any(n => n.Id == s.Id)).ToList();
            if (removed.Count > 0)
            {
                var inUse = await store.LeadsInStagesAsync(_tenantId, pipelineId);
                if (removed.FirstOrDefault(s => inUse.ContainsKey(s.Id)) is { } busy)
                {
                    return PipelineChangeResult.Conflict($"Stage '{busy.Name}' ({busy.Id}) has {inUse[busy.Id]} leads; move them to another stage first.");
                }
            }
        }
        var updated = current with { Name = draft.Name?.Trim() ?? current.Name, Position = draft.Position ?? current.Position, Stages = stages, UpdatedAt = clock.GetUtcNow() };
        await store.SaveAsync(_tenantId, [updated]);
        _pipelines = Sorted(_pipelines.Replace(current, updated));
        return new PipelineChangeResult(PipelineChangeOutcome.Changed, updated);
    }

    public async Task<PipelineChangeResult> Delete(string pipelineId)
    {
        if (_pipelines.FirstOrDefault(p => p.Id == pipelineId) is not { } current) return PipelineChangeResult.NotFound;
        if (_pipelines.Length == 1) return PipelineChangeResult.Conflict("A tenant keeps at least one pipeline.");
        var inUse = await store.LeadsInStagesAsync(_tenantId, pipelineId);
        if (inUse.Count > 0) return PipelineChangeResult.Conflict($"The pipeline has {inUse.Values.Sum()} leads; move them to another pipeline first.");
        await store.DeleteAsync(_tenantId, pipelineId);
        _pipelines = _pipelines.Remove(current);
        return new PipelineChangeResult(PipelineChangeOutcome.Changed, current);
    }

    private static PipelineChangeResult? CheckName(string name) =>
        name.Trim().Length is 0 or > MaxNameLength ? PipelineChangeResult.Invalid("name", $"A pipeline's name has 1 to {MaxNameLength} characters.") : null;

    /// <summary>
    /// The stages in their new order. The first is an open stage (new leads start there); there is at most one won and
    /// one lost stage, so "won" always means the same stage. An existing stage keeps its id and kind.
    /// </summary>
    private static bool TryStages(ImmutableArray<PipelineStageDraft> drafts, ImmutableArray<PipelineStage> existing, out ImmutableArray<PipelineStage> stages,
        out PipelineChangeResult failure)
    {
        stages = [];
        failure = null!;
        var list = drafts.IsDefault ? [] : drafts;
        if (list.Length is 0 or > MaxStages)
        {
            failure = PipelineChangeResult.Invalid("stages", $"A pipeline has 1 to {MaxStages} stages.");
            return false;
        }
        var built = ImmutableArray.CreateBuilder<PipelineStage>();
        for (var i = 0; i < list.Length; i++)
        {
            var draft = list[i];
            if (draft is null)
            {
                failure = PipelineChangeResult.Invalid($"stages[{i}]", "A stage is an object with a name, a kind and, for an existing stage, its id.");
                return false;
            }
            var old = draft.Id is null ? null : existing.FirstOrDefault(s => s.Id == draft.Id);
            if (draft.Id is not null && old is null)
            {
                failure = PipelineChangeResult.Invalid($"stages[{i}].id", $"The pipeline has no stage '{draft.Id}'; leave the id out for a new stage.");
                return false;
            }
            var name = (draft.Name ?? old?.Name)?.Trim();
            if (name is not { Length: >= 1 and <= MaxNameLength })
            {
                failure = PipelineChangeResult.Invalid($"stages[{i}].name", $"A stage's name has 1 to {MaxNameLength} characters.");
                return false;
            }
            var kind = draft.Kind ?? old?.Kind ?? PipelineStageKind.Open;
            if (!Enum.IsDefined(kind))
            {
                failure = PipelineChangeResult.Invalid($"stages[{i}].kind", "A stage's kind is open, won or lost.");
                return false;
            }
            if (old is not null && old.Kind != kind)
            {
                failure = PipelineChangeResult.Invalid($"stages[{i}].kind", "A stage keeps its kind; add a new stage instead.");
                return false;
            }
            if (built.Any(s => s.Id == old?.Id))
            {
                failure = PipelineChangeResult.Invalid($"stages[{i}].id", $"Stage '{draft.Id}' is listed twice.");
                return false;
            }
            if (built.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                failure = PipelineChangeResult.Invalid($"stages[{i}].name", $"Two stages are called '{name}'.");
                return false;
            }
            built.Add(new PipelineStage(old?.Id ?? "st_" + RandomNumberGenerator.GetString(LeadKeys.Alphabet, 10), name, kind));
        }
        if (built[0].Kind != PipelineStageKind.Open)
        {
            failure = PipelineChangeResult.Invalid("stages[0].kind", "The first stage, where new leads start, must be an open stage.");
            return false;
        }
        foreach (var kind in new[] { PipelineStageKind.Won, PipelineStageKind.Lost })
        {
            if (built.Count(s => s.Kind == kind) > 1)
            {
                failure = PipelineChangeResult.Invalid("stages", $"A pipeline has at most one {kind.ToString().ToLowerInvariant()} stage.");
                return false;
            }
        }
        stages = built.ToImmutable();
        return true;
    }

    private static ImmutableArray<Pipeline> Sorted(ImmutableArray<Pipeline> pipelines) =>
        [.. pipelines.OrderBy(p => p.Position).ThenBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal)];
}
