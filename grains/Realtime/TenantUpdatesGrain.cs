using System.Collections.Immutable;
using Flexoraa.Streaming;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Streams;

namespace Flexoraa.Realtime;

/// <summary>
/// Per-tenant sequencer and replay buffer for <c>tenant-updates</c>.
/// <para>
/// Every visible change of a tenant passes through here, so this is deliberately the cheapest possible hot spot: a
/// publish is an in-memory turn (number, buffer, enqueue) and the grain is reentrant, so callers never wait on I/O. The
/// stream write happens behind them, one batch of up to <see cref="MaxBatch"/> updates per queue insert, and the
/// sequence is persisted only once per <see cref="ReservationBlock"/> numbers (hi/lo), so sequences stay increasing
/// across reactivations and silo crashes without a write per event. The ceiling is one activation's call rate (tens of
/// thousands of calls a second on one core), far above what one tenant's ingest reaches: the inbox writer and the
/// ADO.NET stream already cap a silo near a thousand messages a second. The stream is the <c>live</c> provider (ADO.NET,
/// few queues polled often, short-lived events): the numbering and this buffer are what make the updates recoverable,
/// so the stream need not keep them long.
/// </para>
/// <para>
/// A new activation starts after the last reserved block with an empty buffer, so a client that resyncs from an older
/// sequence is told to reload rather than silently missing what the previous activation had buffered.
/// </para>
/// </summary>
[Reentrant]
public sealed class TenantUpdatesGrain(
    [PersistentState("tenantupdates", StorageProviders.Default)] IPersistentState<TenantUpdatesState> state,
    ILogger<TenantUpdatesGrain> logger) : Grain, ITenantUpdatesGrain
{
    /// <summary>How many updates a resync can replay; older than that, a client reloads.</summary>
    public const int BufferCapacity = 2048;
    public const int MaxBatch = 256;
    public const long ReservationBlock = 10_000;

    private readonly Queue<SequencedUpdate> _buffer = new();
    private readonly List<SequencedUpdate> _pending = [];
    private IAsyncStream<TenantUpdateBatch> _stream = null!;
    private const int CoalesceWindowMs = 5;
    private long _next;
    private long _lastFlush = long.MinValue / 2;
    private Task? _reserving;
    private Task? _flushing;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _next = state.State.ReservedThrough + 1;
        _stream = this.GetStreamProvider(StreamProviders.Live)
            .GetStream<TenantUpdateBatch>(StreamId.Create(StreamNamespaces.TenantUpdates, this.GetPrimaryKeyString()));
        return Task.CompletedTask;
    }

    public async Task PublishAll(ImmutableArray<TenantUpdate> updates)
    {
        foreach (var update in updates) await Publish(update);
    }

    public async Task<long> Publish(TenantUpdate update)
    {
        if (update.TenantId != this.GetPrimaryKeyString()) throw new ArgumentException("An update can only be published to its own tenant.", nameof(update));

        if (update is Typing)
        {
            // Ephemeral: not numbered and not buffered, but stamped with the latest sequence so clients can still spot gaps.
            Enqueue(new SequencedUpdate(_next - 1, update));
            return _next - 1;
        }

        while (_next > state.State.ReservedThrough)
        {
            // Concurrent callers share one reservation write; a failed one is retried by the next caller.
            var reserving = _reserving ??= ReserveAsync();
            try
            {
                await reserving;
            }
            finally
            {
                if (_reserving == reserving) _reserving = null;
            }
        }
        var sequenced = new SequencedUpdate(_next++, update);
        _buffer.Enqueue(sequenced);
        if (_buffer.Count > BufferCapacity) _buffer.Dequeue();
        Enqueue(sequenced);
        return sequenced.Sequence;
    }

    public Task<TenantUpdatesSince> Since(long lastSequence)
    {
        var latest = _next - 1;
        if (lastSequence == latest) return Task.FromResult(new TenantUpdatesSince(false, latest, []));

        // A sequence from the future, or one whose successor has left the buffer (or was issued by an earlier activation).
        var oldest = _buffer.Count > 0 ? _buffer.Peek().Sequence : _next;
        if (lastSequence > latest || lastSequence + 1 < oldest) return Task.FromResult(new TenantUpdatesSince(true, latest, []));

        return Task.FromResult(new TenantUpdatesSince(false, latest, [.. _buffer.Where(u => u.Sequence > lastSequence)]));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_flushing is { } flushing) await flushing;
    }

    private async Task ReserveAsync()
    {
        state.State.ReservedThrough = Math.Max(state.State.ReservedThrough, _next - 1) + ReservationBlock;
        await state.WriteStateAsync();
    }

    private void Enqueue(SequencedUpdate update)
    {
        _pending.Add(update);
        _flushing ??= FlushAsync();
    }

    private async Task FlushAsync()
    {
        // Let the callers of this turn queue up first, so a burst becomes one batch. Under sustained load (the last flush
        // was moments ago) linger a little longer: the stream answers in a millisecond or two, so without this every
        // update would become a stream event of its own, each with its own queue call, poll and hub delivery.
        if (Environment.TickCount64 - _lastFlush < CoalesceWindowMs) await Task.Delay(CoalesceWindowMs);
        else await Task.Yield();
        while (_pending.Count > 0)
        {
            var take = Math.Min(_pending.Count, MaxBatch);
            var batch = new TenantUpdateBatch([.. _pending.GetRange(0, take)]);
            _pending.RemoveRange(0, take);
            try
            {
                await _stream.OnNextAsync(batch);
            }
            catch (Exception e)
            {
                // Live delivery is best effort: the updates stay in the buffer, and a client that sees the gap resyncs.
                logger.LogWarning(e, "Publishing {Count} updates of tenant {Tenant} failed", take, this.GetPrimaryKeyString());
            }
        }
        _lastFlush = Environment.TickCount64;
        _flushing = null;
    }
}
