using Flexoraa.Leads.Import;
using Flexoraa.Media;
using Microsoft.Extensions.Options;

namespace Flexoraa.FrontendApi.Leads.Import;

/// <summary>What the <see cref="LeadImportsApi"/> handlers need from DI, bound as one <c>[AsParameters]</c> argument.</summary>
public sealed class LeadImportServices(LeadImportStore imports, IMediaBlobStore blobs, IGrainFactory grains, TimeProvider clock, IOptions<LeadImportSettings> settings)
{
    public LeadImportStore Imports { get; } = imports;
    public IMediaBlobStore Blobs { get; } = blobs;
    public IGrainFactory Grains { get; } = grains;
    public TimeProvider Clock { get; } = clock;
    public IOptions<LeadImportSettings> Settings { get; } = settings;
}
