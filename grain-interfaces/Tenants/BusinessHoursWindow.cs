namespace Flexoraa.Tenants;

/// <summary>One opening window on a weekday, in the tenant's time zone. Closes after opens; no overnight windows.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.BusinessHoursWindow")]
public sealed record BusinessHoursWindow(
    [property: Id(0)] DayOfWeek Day,
    [property: Id(1)] TimeOnly Opens,
    [property: Id(2)] TimeOnly Closes);
