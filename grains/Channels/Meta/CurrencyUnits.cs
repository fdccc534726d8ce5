namespace Flexoraa.Channels.Meta;

/// <summary>
/// Converts a price in a currency's main unit, as Meta's catalogs give it, to its smallest unit, as Flexoraa keeps
/// money. ISO 4217 gives most currencies two decimals; the exceptions below are those with none or three.
/// </summary>
internal static class CurrencyUnits
{
    private static readonly HashSet<string> NoDecimals = new(StringComparer.OrdinalIgnoreCase)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeDecimals = new(StringComparer.OrdinalIgnoreCase)
    {
        "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
    };

    /// <summary>The amount in minor units, rounded half away from zero; null when it does not fit a long.</summary>
    public static long? ToMinor(decimal amount, string? currency)
    {
        var scale = currency is null ? 100m : NoDecimals.Contains(currency) ? 1m : ThreeDecimals.Contains(currency) ? 1000m : 100m;
        // Checked before multiplying: a hostile price near decimal's range would overflow the product itself.
        if (Math.Abs(amount) >= long.MaxValue / scale) return null;
        return (long)Math.Round(amount * scale, MidpointRounding.AwayFromZero);
    }
}
