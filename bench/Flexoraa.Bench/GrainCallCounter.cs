using System.Collections.Concurrent;

namespace Flexoraa.Bench;

/// <summary>Counts the grain calls this process makes, by interface and method, so a phase's cost can be stated exactly.</summary>
public sealed class GrainCallCounter : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, long> _calls = new(StringComparer.Ordinal);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        _calls.AddOrUpdate($"{context.InterfaceName}.{context.MethodName}", 1, (_, n) => n + 1);
        await context.Invoke();
    }

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_calls, StringComparer.Ordinal);

    public static IEnumerable<(string Call, long Count)> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Select(a => (a.Key, a.Value - before.GetValueOrDefault(a.Key))).Where(d => d.Item2 > 0).OrderByDescending(d => d.Item2);
}
