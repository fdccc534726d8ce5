namespace Flexoraa.Leads.Scoring;

/// <summary>
/// A tenant's scoring rules (key: the tenant id), with the SDR rotation of its threshold automations. A lead asks for
/// the rules when it activates and when told to rescore, not on every event, so one grain per tenant is no hot spot.
/// After a change it pages through the tenant's leads scored under older rules, a few hundred per tick, and asks each
/// to rescore; the change itself does not wait for that.
/// </summary>
[Alias("Flexoraa.Leads.Scoring.IScoringRulesGrain")]
public interface IScoringRulesGrain : IGrainWithStringKey
{
    /// <summary>The current rules; a tenant that never saved any has the built-in ones at version 1.</summary>
    [Alias("Get"), Orleans.Concurrency.AlwaysInterleave]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Get is a keyword only in Visual Basic, and no Visual Basic code calls grains.")]
    Task<ScoringRules> Get();

    /// <summary>Validates and saves <paramref name="rules"/> (its version is ignored) as the next version, then starts the rescoring pass.</summary>
    [Alias("Replace")]
    Task<ScoringRulesChangeResult> Replace(ScoringRules rules);

    /// <summary>Validates <paramref name="rules"/> as <see cref="Replace"/> would, without saving: the normalized rules, or the bad rule's path.</summary>
    [Alias("Check"), Orleans.Concurrency.AlwaysInterleave]
    Task<ScoringRulesChangeResult> Check(ScoringRules rules);

    /// <summary>The next member with role SDR in the rotation, or null when the tenant has none.</summary>
    [Alias("NextSdr")]
    Task<string?> NextSdr();

    /// <summary>Starts the rescoring pass if it is not running: leads were written under older rules (an import).</summary>
    [Alias("CatchUp"), Orleans.Concurrency.OneWay]
    Task CatchUp();

    /// <summary>How many leads the pass has still to rescore (0 when it is done).</summary>
    [Alias("Pending")]
    Task<int> Pending();
}
