using System.Collections.Immutable;

namespace Flexoraa.Channels;

/// <summary>Contact cards the customer shared (WhatsApp <c>contacts</c>).</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ContactsContent")]
public sealed record ContactsContent([property: Id(0)] ImmutableArray<ContactCard> Cards)
{
    internal string? Summary => MessageContent.Join(Cards.Select(c => c.Summary));
}
