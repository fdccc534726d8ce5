namespace Flexoraa.Leads;

/// <summary>What the lead said about being contacted on one channel; a channel without an entry was never asked.</summary>
public enum LeadConsentStatus
{
    Granted,
    OptedOut,
}
