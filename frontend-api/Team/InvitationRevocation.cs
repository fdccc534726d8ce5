namespace Flexoraa.FrontendApi.Team;

/// <summary>What revoking an invitation led to.</summary>
public enum InvitationRevocation
{
    /// <summary>Revoked now, or it already was (revoking is idempotent).</summary>
    Revoked = 0,
    NotFound = 1,
    AlreadyAccepted = 2,
}
