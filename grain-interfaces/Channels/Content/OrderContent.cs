using System.Collections.Immutable;

namespace Flexoraa.Channels;

/// <summary>A cart the customer sent from a catalog (WhatsApp <c>order</c>), with the note they typed.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.OrderContent")]
public sealed record OrderContent(
    [property: Id(0)] string? CatalogId,
    [property: Id(1)] string? Text,
    [property: Id(2)] ImmutableArray<OrderItem> Items)
{
    internal string? Summary => MessageContent.Join([Text, .. Items.Select(i => i.ProductRetailerId)]);
}
