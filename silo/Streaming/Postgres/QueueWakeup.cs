namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>A queue's "there may be new rows" flag, raised by <see cref="StreamNotificationListener"/> and taken by its reader.</summary>
public sealed class QueueWakeup
{
    // Raised at first, so a new reader looks once before waiting for notifications.
    private int _raised = 1;

    public void Raise() => Volatile.Write(ref _raised, 1);

    /// <summary>Whether the flag was raised since the last call; lowers it.</summary>
    public bool TryTake() => Interlocked.Exchange(ref _raised, 0) == 1;
}
