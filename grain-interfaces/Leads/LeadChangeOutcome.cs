namespace Flexoraa.Leads;

public enum LeadChangeOutcome
{
    Changed,
    /// <summary>No such lead, or one the actor may not see (an SDR and another's lead).</summary>
    NotFound,
    Forbidden,
    /// <summary>A field is invalid; <see cref="LeadChangeResult.Field"/> names it.</summary>
    Invalid,
    /// <summary>The If-Match version is not the lead's current one.</summary>
    VersionMismatch,
    /// <summary>Another lead of the tenant already has this phone or channel contact; <see cref="LeadChangeResult.Field"/> names it.</summary>
    Conflict,
    /// <summary>Create only: the id is taken.</summary>
    Exists,
}
