using System.Buffers;
using System.Security.Cryptography;

namespace Flexoraa.Leads;

/// <summary>A lead's ids: <c>ld_</c> and 16 random characters, its grain key <c>{tenantId}/{leadId}</c>.</summary>
public static class LeadKeys
{
    public const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    public static string NewLeadId() => "ld_" + RandomNumberGenerator.GetString(Alphabet, 16);

    public static string GrainKey(string tenantId, string leadId) => $"{tenantId}/{leadId}";

    public static (string TenantId, string LeadId) Parse(string grainKey)
    {
        var slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == grainKey.Length - 1) throw new ArgumentException($"'{grainKey}' is not a lead key.", nameof(grainKey));
        return (grainKey[..slash], grainKey[(slash + 1)..]);
    }

    /// <summary>
    /// The shape every lead id has, whoever made it (ContactLeadLinks draws the same alphabet): anything else cannot exist,
    /// so it is not found without a query and never activates a grain.
    /// </summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: 19 } && id.StartsWith("ld_", StringComparison.Ordinal) && id.AsSpan(3).IndexOfAnyExcept(AlphabetValues) < 0;
}
