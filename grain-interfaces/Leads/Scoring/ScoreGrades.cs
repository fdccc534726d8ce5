namespace Flexoraa.Leads.Scoring;

/// <summary>The lowest total of grades A, B and C; anything below <see cref="C"/> is D.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.ScoreGrades")]
public sealed record ScoreGrades(
    [property: Id(0)] int A,
    [property: Id(1)] int B,
    [property: Id(2)] int C)
{
    public string Of(int total) => total >= A ? "A" : total >= B ? "B" : total >= C ? "C" : "D";
}
