namespace Flexoraa.Tenants;

/// <summary>What a plan allows. Zero or negative means unlimited.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.TenantLimits")]
public sealed record TenantLimits(
    [property: Id(0)] int Seats,
    [property: Id(1)] int ChannelAccounts,
    [property: Id(2)] long MonthlyConversations,
    [property: Id(3)] long MonthlyCampaignMessages)
{
    public static TenantLimits For(TenantPlan plan) => plan switch
    {
        TenantPlan.Trial => new(3, 1, 500, 1_000),
        TenantPlan.Starter => new(5, 3, 5_000, 10_000),
        TenantPlan.Growth => new(25, 10, 50_000, 100_000),
        TenantPlan.Enterprise => new(0, 0, 0, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan, null),
    };
}
