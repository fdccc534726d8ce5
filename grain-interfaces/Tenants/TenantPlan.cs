namespace Flexoraa.Tenants;

/// <summary>The subscription plan. Billing changes it; the tenant API only reads it.</summary>
public enum TenantPlan
{
    Trial = 0,
    Starter = 1,
    Growth = 2,
    Enterprise = 3,
}
