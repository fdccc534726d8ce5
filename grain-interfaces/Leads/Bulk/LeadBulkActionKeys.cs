using System.Buffers;
using System.Security.Cryptography;

namespace Flexoraa.Leads.Bulk;

/// <summary>A bulk action's id, <c>bulk_</c> and 16 random characters, and its grain key <c>{tenantId}/{actionId}</c>.</summary>
public static class LeadBulkActionKeys
{
    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(LeadKeys.Alphabet);

    public static string NewActionId() => "bulk_" + RandomNumberGenerator.GetString(LeadKeys.Alphabet, 16);

    public static string GrainKey(string tenantId, string actionId) => $"{tenantId}/{actionId}";

    public static (string TenantId, string ActionId) Parse(string grainKey) => LeadKeys.Parse(grainKey);

    /// <summary>Anything but an id this system makes is not found without a query.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: 21 } && id.StartsWith("bulk_", StringComparison.Ordinal) && id.AsSpan(5).IndexOfAnyExcept(AlphabetValues) < 0;
}
