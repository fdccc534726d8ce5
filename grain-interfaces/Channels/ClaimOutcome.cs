namespace Flexoraa.Channels;

public enum ClaimOutcome
{
    Claimed = 0,

    /// <summary>Another tenant already connected this external account.</summary>
    OwnedByAnotherTenant = 1,
}
