namespace Flexoraa.Channels;

/// <summary>
/// One line of a cart. <see cref="UnitPriceMinor"/> is the price of one item in the smallest unit of
/// <see cref="Currency"/> (paise, cents), converted from Meta's <c>item_price</c>, which is in the main unit (rupees, dollars).
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.OrderItem")]
public sealed record OrderItem(
    [property: Id(0)] string ProductRetailerId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] long? UnitPriceMinor,
    [property: Id(3)] string? Currency);
