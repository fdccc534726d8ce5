namespace Flexoraa.Channels;

/// <summary>The persisted form of a <see cref="ChannelAccountGrain"/>. A null owner means no tenant owns the account.</summary>
[GenerateSerializer, Alias("Flexoraa.Channels.ChannelAccountState")]
public sealed class ChannelAccountState
{
    [Id(0)] public ChannelAccountOwner? Owner { get; set; }
    [Id(1)] public DateTimeOffset? ClaimedAt { get; set; }
}
