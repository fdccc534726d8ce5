using System.Collections.Concurrent;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>Counts the grain calls the test host makes, by <c>Interface.Method</c>, so a test can state a path's exact cost.</summary>
public sealed class GrainCallCounter : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, long> _calls = new(StringComparer.Ordinal);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        _calls.AddOrUpdate($"{context.InterfaceName}.{context.MethodName}", 1, (_, n) => n + 1);
        await context.Invoke();
    }

    /// <summary>Calls so far whose interface name ends with <paramref name="interfaceName"/> and method is <paramref name="method"/>.</summary>
    public long Count(string interfaceName, string method) =>
        _calls.Where(c => c.Key.EndsWith($"{interfaceName}.{method}", StringComparison.Ordinal)).Sum(c => c.Value);
}
