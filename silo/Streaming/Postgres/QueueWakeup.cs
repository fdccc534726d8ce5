namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>
/// A queue's "there may be new rows" flag, raised by <see cref="StreamNotificationListener"/> and taken by its reader,
/// which may also wait for it (<see cref="WaitAsync"/>).
/// </summary>
public sealed class QueueWakeup
{
    // Raised at first, so a new reader looks once before waiting for notifications.
    private int _raised = 1;
    private TaskCompletionSource? _waiter;

    public void Raise()
    {
        Volatile.Write(ref _raised, 1);
        Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
    }

    /// <summary>Whether the flag was raised since the last call; lowers it.</summary>
    public bool TryTake() => Interlocked.Exchange(ref _raised, 0) == 1;

    /// <summary>Takes the flag, waiting up to <paramref name="timeout"/> for it to be raised; false when it was not.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (TryTake()) return true;
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _waiter, waiter);
        // Raised between the first look and the registration: the raise may have missed the waiter.
        if (TryTake()) return true;
        try
        {
            await waiter.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        return TryTake();
    }
}
