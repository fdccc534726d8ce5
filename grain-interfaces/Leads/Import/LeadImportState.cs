namespace Flexoraa.Leads.Import;

public enum LeadImportState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}
