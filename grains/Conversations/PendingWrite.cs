using Npgsql;

namespace Flexoraa.Conversations;

/// <summary>One statement waiting for the next group commit of <see cref="InboxWriter"/>, with the caller waiting on its outcome.</summary>
public abstract class PendingWrite(string tenantId)
{
    private readonly TaskCompletionSource<bool> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string TenantId { get; } = tenantId;

    public Task<bool> Outcome => _outcome.Task;

    /// <summary>
    /// A write that must share this one's commit: <see cref="InboxWriter"/> takes it into the same batch, right after
    /// this one, rather than leaving it to whichever batch the queue puts it in.
    /// </summary>
    public PendingWrite? CommitsWith { get; private set; }

    /// <summary>Sets <see cref="CommitsWith"/>; only before this write is submitted.</summary>
    public void Carry(PendingWrite follower) => CommitsWith = follower;

    /// <summary>This write and those it carries, in order.</summary>
    internal IEnumerable<PendingWrite> WithCarried()
    {
        for (var write = this; write is not null; write = write.CommitsWith) yield return write;
    }

    /// <summary>The statement; it returns exactly one result set.</summary>
    public abstract NpgsqlBatchCommand Command();

    /// <summary>Reads this statement's result set; the value is what <see cref="Outcome"/> reports after the commit.</summary>
    public abstract Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken);

    /// <summary>
    /// Set when PostgreSQL refused this write for good and <see cref="InboxWriter"/> kept it in <c>inbox_dead_letters</c>
    /// instead; <see cref="Outcome"/> is then false, as for a write that changed nothing, so its caller moves on.
    /// </summary>
    public string? DeadLetterReason { get; private set; }

    /// <summary>What an operator needs to see or replay this write, as JSON, for its dead letter.</summary>
    public virtual string DeadLetterPayload() => "{}";

    internal void DeadLettered(string reason)
    {
        DeadLetterReason = reason;
        _outcome.TrySetResult(false);
    }

    internal void Succeed(bool value) => _outcome.TrySetResult(value);

    internal void Fail(Exception error) => _outcome.TrySetException(error);
}
