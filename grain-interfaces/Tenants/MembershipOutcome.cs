namespace Flexoraa.Tenants;

/// <summary>What happened to a membership change; the API maps each to a status code.</summary>
public enum MembershipOutcome
{
    Done = 0,
    TenantNotFound = 1,
    MemberNotFound = 2,
    AlreadyMember = 3,

    /// <summary>Refused: the tenant would be left without an Owner.</summary>
    LastOwner = 4,
}
