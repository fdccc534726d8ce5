using Flexoraa.Leads.Bulk;
using Flexoraa.Media;

namespace Flexoraa.FrontendApi.Leads.Bulk;

/// <summary>What the <see cref="LeadBulkActionsApi"/> handlers need from DI, bound as one <c>[AsParameters]</c> argument.</summary>
public sealed class LeadBulkActionServices(LeadBulkActionStore actions, IMediaBlobStore blobs, IGrainFactory grains, TimeProvider clock)
{
    public LeadBulkActionStore Actions { get; } = actions;
    public IMediaBlobStore Blobs { get; } = blobs;
    public IGrainFactory Grains { get; } = grains;
    public TimeProvider Clock { get; } = clock;
}
