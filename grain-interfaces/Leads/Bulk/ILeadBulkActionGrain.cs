namespace Flexoraa.Leads.Bulk;

/// <summary>
/// One bulk action (key <c>{tenantId}/{actionId}</c>). Its <c>lead_bulk_actions</c> row and the leads it names, both
/// written by the request, are the job; the grain works through them in batches, each one committed with its counters,
/// and a reminder brings it back after a crash.
/// </summary>
[Alias("Flexoraa.Leads.Bulk.ILeadBulkActionGrain")]
public interface ILeadBulkActionGrain : IGrainWithStringKey
{
    /// <summary>Starts (or resumes) the job; answers at once, the work runs in the background.</summary>
    [Alias("Start")]
    Task Start();

    /// <summary>Stops after the batch in flight; what was committed stays. No-op once finished.</summary>
    [Alias("Cancel")]
    Task<LeadBulkActionStatus?> Cancel();
}
