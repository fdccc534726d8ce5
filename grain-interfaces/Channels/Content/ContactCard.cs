using System.Collections.Immutable;

namespace Flexoraa.Channels;

/// <summary>One shared contact card: names, organisation, phones and emails, each as the sender's phone had them.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ContactCard")]
public sealed record ContactCard(
    [property: Id(0)] string? FormattedName,
    [property: Id(1)] string? FirstName,
    [property: Id(2)] string? LastName,
    [property: Id(3)] string? Company,
    [property: Id(4)] string? Department,
    [property: Id(5)] string? JobTitle,
    [property: Id(6)] ImmutableArray<ContactPhone> Phones,
    [property: Id(7)] ImmutableArray<ContactEmail> Emails)
{
    internal string? Summary => MessageContent.Join(
        [FormattedName ?? MessageContent.Join(FirstName, LastName), Company, .. Phones.Select(p => p.Phone), .. Emails.Select(e => e.Email)]);
}
