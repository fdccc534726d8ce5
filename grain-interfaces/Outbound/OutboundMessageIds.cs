using System.Globalization;

namespace Flexoraa.Outbound;

/// <summary>
/// An outbound message is named by its <c>messages.id</c>; until Meta names it, the row's external id is a placeholder
/// (<see cref="Placeholder"/>) that cannot collide with a wamid or mid.
/// </summary>
public static class OutboundMessageIds
{
    public const string PlaceholderPrefix = "out_";

    public static string Placeholder() => PlaceholderPrefix + Guid.NewGuid().ToString("N");

    /// <summary>The <see cref="IOutboundMessageGrain"/> key: <c>{tenantId}/{messageId}</c>.</summary>
    public static string GrainKey(string tenantId, long messageId) => $"{tenantId}/{messageId.ToString(CultureInfo.InvariantCulture)}";

    public static (string TenantId, long MessageId) Parse(string grainKey)
    {
        var slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !long.TryParse(grainKey.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new ArgumentException($"'{grainKey}' is not an outbound message key.", nameof(grainKey));
        }
        return (grainKey[..slash], id);
    }
}
