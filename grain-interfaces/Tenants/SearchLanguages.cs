using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Flexoraa.Tenants;

/// <summary>
/// The languages message search can stem: PostgreSQL's built-in text search configurations, by their names. A tenant's
/// <see cref="TenantSettings.SearchLanguage"/> is one of them; each <c>messages</c> row stores the one it was indexed with
/// (<c>messages.search_config</c>, migration 0026). <see cref="Simple"/> only lower-cases words (no stemming, no stop
/// words): the default, what every row written before 0026 uses, and the right choice for languages PostgreSQL has no
/// stemmer for (its <c>hindi</c> configuration, for one, does not stem either).
/// </summary>
public static class SearchLanguages
{
    public const string Simple = "simple";

    /// <summary>The configurations PostgreSQL 15 ships with (<c>SELECT cfgname FROM pg_ts_config</c>), so a stored name always resolves.</summary>
    public static readonly FrozenSet<string> All = FrozenSet.ToFrozenSet(
    [
        Simple, "arabic", "armenian", "basque", "catalan", "danish", "dutch", "english", "finnish", "french", "german", "greek", "hindi",
        "hungarian", "indonesian", "irish", "italian", "lithuanian", "nepali", "norwegian", "portuguese", "romanian", "russian", "serbian",
        "spanish", "swedish", "tamil", "turkish", "yiddish",
    ], StringComparer.Ordinal);

    public static readonly string Choices = string.Join(", ", All.Order(StringComparer.Ordinal));

    /// <summary>The language's stored spelling (trimmed, lower-case) when it is one of <see cref="All"/>.</summary>
    public static bool TryNormalize(string? value, [NotNullWhen(true)] out string? language)
    {
        language = value?.Trim().ToLowerInvariant();
        if (language is not null && All.Contains(language)) return true;
        language = null;
        return false;
    }
}
