namespace Flexoraa.Realtime;

[GenerateSerializer, Alias("Flexoraa.Realtime.TenantUpdatesState")]
public sealed class TenantUpdatesState
{
    /// <summary>The highest sequence this tenant may issue without writing state again (hi/lo allocation).</summary>
    [Id(0)] public long ReservedThrough { get; set; }
}
