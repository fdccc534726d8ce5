using Flexoraa.Silo.Streaming.Postgres;

namespace Flexoraa.Tests.Streaming;

/// <summary>A queue's wake-up flag: taken once per raise, and a waiting reader is woken by a raise or gives up in time.</summary>
public sealed class QueueWakeupTests
{
    [Fact]
    public void A_new_wakeup_is_raised_once_so_a_new_reader_looks_before_it_waits()
    {
        var wakeup = new QueueWakeup();

        Assert.True(wakeup.TryTake());
        Assert.False(wakeup.TryTake());
    }

    [Fact]
    public async Task A_waiting_reader_is_woken_by_a_raise()
    {
        var wakeup = new QueueWakeup();
        wakeup.TryTake();

        var waiting = wakeup.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        wakeup.Raise();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(wakeup.TryTake());
    }

    [Fact]
    public async Task A_raise_before_the_wait_is_not_missed_and_a_wait_without_one_ends_false_in_time_or_on_cancellation()
    {
        var wakeup = new QueueWakeup();
        wakeup.TryTake();
        wakeup.Raise();

        Assert.True(await wakeup.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.False(await wakeup.WaitAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));
        using var cancel = new CancellationTokenSource();
        var cancelled = wakeup.WaitAsync(TimeSpan.FromSeconds(30), cancel.Token);
        await cancel.CancelAsync();
        Assert.False(await cancelled.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
