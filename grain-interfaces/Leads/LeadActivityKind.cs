namespace Flexoraa.Leads;

/// <summary>
/// One entry of a lead's timeline. The first three are written by <c>LeadGrain</c> with the change they record; notes,
/// calls and meetings are logged through the API; a message is an inbound or outbound message of one of the lead's
/// conversations (details: <c>direction</c>, <c>messageExternalId</c>, <c>channel</c>; body: its preview).
/// </summary>
public enum LeadActivityKind
{
    Created,
    StageChanged,
    FieldsChanged,
    Note,
    Call,
    Meeting,
    /// <summary>Another lead was merged into this one; its timeline and conversations moved here (details: sourceLeadId, fields).</summary>
    Merged,
    Message,
}
