using Flexoraa.Tenants;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Leads.Scoring;

/// <summary>
/// A tenant's scoring rules (see <see cref="IScoringRulesGrain"/>), in memory and written through to
/// <c>scoring_rules</c>. The rescoring pass is a grain timer: each tick takes the next page of leads (by id) scored
/// under older rules and asks each lead to <see cref="ILeadGrain.Rescore"/>; it ends at the first empty page. A lead
/// the pass could not reach rescores when it next activates, so a pass cut short by a restart loses nothing, and the
/// next activation of this grain starts a new one when leads are still behind.
/// </summary>
public sealed class ScoringRulesGrain(ScoringRulesStore store, TimeProvider clock, ILogger<ScoringRulesGrain> logger) : Grain, IScoringRulesGrain
{
    public const int PassPageSize = 200;
    public static readonly TimeSpan PassTick = TimeSpan.FromMilliseconds(500);

    private string _tenantId = "";
    private ScoringRules _rules = BuiltInScoringRules.Rules;
    private long _rotation;
    private IGrainTimer? _pass;
    private string _passAfterId = "";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenantId = this.GetPrimaryKeyString();
        if (await store.LoadAsync(_tenantId, cancellationToken) is { } saved) (_rules, _rotation) = saved;
        if ((await store.StaleLeadsAsync(_tenantId, _rules.Version, "", 1, cancellationToken)).Count > 0) StartPass();
    }

    public Task<ScoringRules> Get() => Task.FromResult(_rules);

    public async Task<ScoringRulesChangeResult> Replace(ScoringRules rules)
    {
        var checkedRules = await Check(rules);
        if (checkedRules.Rules is not { } normalized) return checkedRules;
        var next = normalized with { Version = _rules.Version + 1, UpdatedAt = clock.GetUtcNow() };
        if (!await store.SaveAsync(_tenantId, next, _rotation))
        {
            // Another activation (a partition) saved first: build on what it saved.
            if (await store.LoadAsync(_tenantId) is { } saved) (_rules, _rotation) = saved;
            next = next with { Version = _rules.Version + 1 };
            if (!await store.SaveAsync(_tenantId, next, _rotation)) return new ScoringRulesChangeResult(null, "", "The rules changed at the same time; read them again and retry.");
        }
        _rules = next;
        _passAfterId = "";
        StartPass();
        return new ScoringRulesChangeResult(next);
    }

    public async Task<ScoringRulesChangeResult> Check(ScoringRules rules)
    {
        if (!ScoringRulesCheck.TryNormalize(rules, out var normalized, out var path, out var error)) return new ScoringRulesChangeResult(null, path, error);
        var pipelines = await GrainFactory.GetGrain<IPipelinesGrain>(_tenantId).List();
        for (var i = 0; i < normalized.Automations.Length; i++)
        {
            var stageId = normalized.Automations[i].StageId;
            if (!pipelines.Any(p => p.Stage(stageId) is { Kind: PipelineStageKind.Open }))
            {
                return new ScoringRulesChangeResult(null, $"automations[{i}].stageId", $"No pipeline of the tenant has an open stage '{stageId}'; automations move leads to an open stage (not won or lost).");
            }
        }
        return new ScoringRulesChangeResult(normalized with { Version = _rules.Version });
    }

    public async Task<string?> NextSdr()
    {
        var sdrs = (await GrainFactory.GetGrain<ITenantGrain>(_tenantId).Members())
            .Where(m => m.Role == TenantRole.Sdr).Select(m => m.UserId).Order(StringComparer.Ordinal).ToList();
        if (sdrs.Count == 0) return null;
        var next = sdrs[(int)(_rotation % sdrs.Count)];
        await store.SaveRotationAsync(_tenantId, _rules, _rotation + 1);
        _rotation++;
        return next;
    }

    public Task CatchUp()
    {
        StartPass();
        return Task.CompletedTask;
    }

    public Task<int> Pending() => store.CountStaleAsync(_tenantId, _rules.Version);

    private void StartPass()
    {
        if (_pass is not null) return;
        // Interleaved, so a lead that the tick is rescoring can ask for its next SDR meanwhile without a deadlock.
        _pass = this.RegisterGrainTimer(_ => TickAsync(), new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero, Period = PassTick, Interleave = true, KeepAlive = true,
        });
    }

    private async Task TickAsync()
    {
        var version = _rules.Version;
        IReadOnlyList<string> ids;
        try
        {
            ids = await store.StaleLeadsAsync(_tenantId, version, _passAfterId, PassPageSize);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The rescoring pass of tenant {Tenant} could not read its next page; it tries again", _tenantId);
            return;
        }
        if (ids.Count == 0)
        {
            _pass?.Dispose();
            _pass = null;
            _passAfterId = "";
            return;
        }
        _passAfterId = ids[^1];
        var rescored = ids.Select(async id =>
        {
            try
            {
                await GrainFactory.GetGrain<ILeadGrain>(LeadKeys.GrainKey(_tenantId, id)).Rescore();
            }
            catch (Exception e)
            {
                // It rescores on its next activation instead.
                logger.LogWarning(e, "Could not rescore lead {Lead} of tenant {Tenant}", id, _tenantId);
            }
        });
        await Task.WhenAll(rescored);
    }
}
