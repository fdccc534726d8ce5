namespace Flexoraa.Leads.Import;

/// <summary>
/// One import job (key <c>{tenantId}/{importId}</c>). Its <c>lead_imports</c> row, written by the upload, is the job;
/// the grain runs it in batches, each committed with its counters, and a reminder brings it back after a crash.
/// </summary>
[Alias("Flexoraa.Leads.Import.ILeadImportGrain")]
public interface ILeadImportGrain : IGrainWithStringKey
{
    /// <summary>Starts (or resumes) the job; answers at once, the work runs in the background.</summary>
    [Alias("Start")]
    Task Start();

    /// <summary>Stops after the batch in flight; what was committed stays. No-op once finished.</summary>
    [Alias("Cancel")]
    Task<LeadImportStatus?> Cancel();
}
