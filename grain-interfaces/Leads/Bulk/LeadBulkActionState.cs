namespace Flexoraa.Leads.Bulk;

public enum LeadBulkActionState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}
