using System.Buffers;
using System.Security.Cryptography;

namespace Flexoraa.Leads.Import;

/// <summary>An import's id, <c>imp_</c> and 16 random characters, and its grain key <c>{tenantId}/{importId}</c>.</summary>
public static class LeadImportKeys
{
    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(LeadKeys.Alphabet);

    public static string NewImportId() => "imp_" + RandomNumberGenerator.GetString(LeadKeys.Alphabet, 16);

    public static string GrainKey(string tenantId, string importId) => $"{tenantId}/{importId}";

    public static (string TenantId, string ImportId) Parse(string grainKey)
    {
        var slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == grainKey.Length - 1) throw new ArgumentException($"'{grainKey}' is not an import key.", nameof(grainKey));
        return (grainKey[..slash], grainKey[(slash + 1)..]);
    }

    /// <summary>Anything but an id this system makes is not found without a query.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: 20 } && id.StartsWith("imp_", StringComparison.Ordinal) && id.AsSpan(4).IndexOfAnyExcept(AlphabetValues) < 0;
}
