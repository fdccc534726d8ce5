using System.Collections.Immutable;

namespace Flexoraa.Tenants;

/// <summary>When humans answer. Outside these hours the AI agent (if allowed) or the away message replies.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.BusinessHours")]
public sealed record BusinessHours(
    [property: Id(0)] bool Enabled,
    [property: Id(1)] ImmutableArray<BusinessHoursWindow> Windows,
    [property: Id(2)] string? AwayMessage)
{
    /// <summary>Monday to Friday, 09:00–18:00, switched off until the tenant turns it on.</summary>
    public static BusinessHours Default { get; } = new(
        false,
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => new BusinessHoursWindow(d, new TimeOnly(9, 0), new TimeOnly(18, 0)))],
        null);
}
