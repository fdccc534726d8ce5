namespace Flexoraa.Channels;

/// <summary>The catalog product a WhatsApp customer asked about ("Message business" on a product).</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ReferredProduct")]
public sealed record ReferredProduct(
    [property: Id(0)] string? CatalogId,
    [property: Id(1)] string? ProductRetailerId);
