namespace Flexoraa.Tests.Infrastructure;

/// <summary>Polls a condition that becomes true asynchronously (stream delivery, failover) instead of sleeping blindly.</summary>
public static class Eventually
{
    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="done"/>. While a cluster heals, a probe may itself fail for a
    /// moment (its gateway just died); such failures count as "not yet", and the last one is reported on time-out.
    /// </summary>
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        Exception? lastError = null;
        do
        {
            try
            {
                last = await probe();
                lastError = null;
                if (done(last)) return last;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                lastError = e;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting for {what}; last value: {last}", lastError);
    }
}
