using System.Collections.Immutable;
using Flexoraa.Streaming;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Flexoraa.Tests.Foundation;

[Alias("Flexoraa.Tests.IStreamProbeGrain")]
public interface IStreamProbeGrain : IGrainWithStringKey
{
    [Alias("Received")]
    Task<ImmutableArray<string>> Received();
}

/// <summary>A test grain implicitly subscribed to <see cref="Namespace"/>; it persists the distinct messages it has seen.</summary>
[ImplicitStreamSubscription(Namespace)]
public sealed class StreamProbeGrain(
    [PersistentState("streamprobe", StorageProviders.Default)] IPersistentState<StreamProbeState> state)
    : Grain, IStreamProbeGrain, IStreamSubscriptionObserver, IAsyncObserver<string>
{
    public const string Namespace = "test-probe";

    public Task<ImmutableArray<string>> Received() => Task.FromResult(state.State.Messages.ToImmutableArray());

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<string>().ResumeAsync(this);

    public async Task OnNextAsync(string item, StreamSequenceToken? token = null)
    {
        // A redelivery after a silo crash is expected; record each message once.
        if (state.State.Messages.Add(item)) await state.WriteStateAsync();
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

[GenerateSerializer, Alias("Flexoraa.Tests.StreamProbeState")]
public sealed class StreamProbeState
{
    [Id(0)] public SortedSet<string> Messages { get; set; } = new(StringComparer.Ordinal);
}
