using System.Collections.Frozen;
using Flexoraa.Tenants;

namespace Flexoraa.Leads.Import;

/// <summary>
/// What a row's words mean in this tenant: its stage column against the default pipeline's open stages (by name,
/// case-blind; an unknown or empty stage puts the lead in the first stage), and its owner column against the team (by
/// e-mail or display name; unknown leaves the lead unassigned). Won and Lost are not set by an import: they carry a
/// value or a reason a file does not have.
/// </summary>
internal sealed class ImportTargets
{
    private readonly FrozenDictionary<string, string> _stages;
    private readonly FrozenDictionary<string, string> _owners;

    private ImportTargets(Pipeline? pipeline, IEnumerable<TenantMember> members)
    {
        var open = pipeline?.Stages.Where(s => s.Kind == PipelineStageKind.Open).ToList() ?? [];
        PipelineId = pipeline?.Id;
        FirstStageId = open.FirstOrDefault()?.Id;
        _stages = open.GroupBy(s => s.Name.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in members)
        {
            owners.TryAdd(member.Email, member.UserId);
            owners.TryAdd(member.DisplayName, member.UserId);
        }
        _owners = owners.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The default pipeline, where imported leads go.</summary>
    public string? PipelineId { get; }

    /// <summary>The stage of a new lead whose row names none (or one the pipeline lacks).</summary>
    public string? FirstStageId { get; }

    public static async Task<ImportTargets> LoadAsync(IGrainFactory grains, string tenantId)
    {
        var pipelines = await grains.GetGrain<IPipelinesGrain>(tenantId).List();
        var members = await grains.GetGrain<ITenantGrain>(tenantId).Members();
        return new ImportTargets(pipelines.IsDefaultOrEmpty ? null : pipelines[0], members);
    }

    public ImportRow Resolve(ImportedLead lead)
    {
        var stage = lead.Stage is { } named && _stages.TryGetValue(named.Trim(), out var id) ? id : null;
        var owner = lead.Owner is { } who && _owners.TryGetValue(who.Trim(), out var userId) ? userId : null;
        // Only a stage the row names is carried: a new lead without one gets the first stage when it is inserted, and an
        // existing lead keeps its own.
        return new ImportRow(lead, LeadKeys.NewLeadId(), stage is null ? null : PipelineId, stage, owner);
    }
}
