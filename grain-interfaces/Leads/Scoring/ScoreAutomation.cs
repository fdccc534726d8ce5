namespace Flexoraa.Leads.Scoring;

/// <summary>
/// A threshold rule: a lead whose total reaches <see cref="MinTotal"/> moves to <see cref="StageId"/> (when its pipeline
/// has that stage further along than the lead is, and the lead is in an open stage), and, with
/// <see cref="AssignNextSdr"/>, an unowned lead goes to the next SDR in the tenant's rotation.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.ScoreAutomation")]
public sealed record ScoreAutomation(
    [property: Id(0)] int MinTotal,
    [property: Id(1)] string StageId,
    [property: Id(2)] bool AssignNextSdr = false);
