using Flexoraa.FrontendApi.Platform;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>What the <see cref="LeadsApi"/> handlers need from DI, bound as one <c>[AsParameters]</c> argument.</summary>
public sealed class LeadServices(LeadReadModel leads, IGrainFactory grains, TimeProvider clock, CursorCodec cursors)
{
    public LeadReadModel Leads { get; } = leads;
    public IGrainFactory Grains { get; } = grains;
    public TimeProvider Clock { get; } = clock;
    public CursorCodec Cursors { get; } = cursors;
}
