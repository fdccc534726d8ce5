using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Tenants;

/// <summary>
/// The search language each tenant's new messages are indexed with, as the message inserts of the hot path need it: from
/// memory, asked of the <see cref="ITenantGrain"/> at most once per tenant per <see cref="Refresh"/> on each silo, so no
/// message waits for a query or for the tenant grain (the per-tenant hot spot). A change of language therefore reaches
/// new messages at once on the tenant grain's silo (<see cref="Changed"/>) and within <see cref="Refresh"/> on the others;
/// rows written in between keep the old language, which search still queries
/// (<see cref="TenantSettings.EarlierSearchLanguages"/>), so nothing is lost either way.
/// </summary>
public sealed class TenantSearchLanguages(IGrainFactory grains, TimeProvider clock, ILogger<TenantSearchLanguages> logger)
{
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ValueTask<string> OfAsync(string tenantId)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(tenantId, out var entry) && now < entry.Until) return ValueTask.FromResult(entry.Language);
        return new ValueTask<string>(LoadAsync(tenantId, entry, now));
    }

    /// <summary>
    /// Told by the <see cref="TenantGrain"/> on this silo when the language changes, so this silo's new messages take it at
    /// once (in local mode, the only silo); other silos take it within <see cref="Refresh"/>.
    /// </summary>
    public void Changed(string tenantId, string language) => _entries[tenantId] = new Entry(language, clock.GetUtcNow() + Refresh);

    private async Task<string> LoadAsync(string tenantId, Entry? previous, DateTimeOffset now)
    {
        try
        {
            var snapshot = await grains.GetGrain<ITenantGrain>(tenantId).Get();
            // A tenant that does not exist (tests, or a tenant being deleted) indexes as everything did before: simple.
            var language = snapshot?.Settings.SearchLanguage is { } known && SearchLanguages.All.Contains(known) ? known : SearchLanguages.Simple;
            var fresh = new Entry(language, now + Refresh);
            // A change told while this read was on its way is newer than what the read found: keep it.
            var stored = previous is null ? _entries.TryAdd(tenantId, fresh) : _entries.TryUpdate(tenantId, fresh, previous);
            return stored || !_entries.TryGetValue(tenantId, out var newer) ? language : newer.Language;
        }
        catch (Exception e)
        {
            // The message must still be stored; the last known language (or simple) is asked again at the next message.
            logger.LogWarning(e, "Could not read the search language of tenant {TenantId}; indexing with the last known one", tenantId);
            return previous?.Language ?? SearchLanguages.Simple;
        }
    }

    private sealed record Entry(string Language, DateTimeOffset Until);
}
