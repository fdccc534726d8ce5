namespace Flexoraa.Channels.Meta;

/// <summary>
/// A change's <c>value.contacts[]</c>: who the messages beside it are from. Meta sends them apart from the messages, so a
/// message finds its sender by wa_id, or by BSUID (<c>user_id</c>) when the customer hides their number and the message
/// has only <c>from_user_id</c>.
/// </summary>
internal sealed class WhatsAppWebhookContacts
{
    private readonly Dictionary<string, Contact> _byWaId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Contact> _byUserId = new(StringComparer.Ordinal);

    /// <summary>One <c>contacts[]</c> item; every part is optional, as Meta omits the wa_id of a customer with a username.</summary>
    public sealed record Contact(string? WaId, string? UserId, string? Name, string? Username);

    public static WhatsAppWebhookContacts Of(PayloadElement value)
    {
        var contacts = new WhatsAppWebhookContacts();
        try
        {
            foreach (var item in value.OptionalArray("contacts"))
            {
                try
                {
                    var profile = item.OptionalObject("profile");
                    var contact = new Contact(item.OptionalString("wa_id"), item.OptionalString("user_id"),
                        // An empty name is no name: it must not blank out one the contact had.
                        profile?.OptionalString("name") is { } name && !string.IsNullOrWhiteSpace(name) ? name : null, profile?.OptionalString("username"));
                    if (contact.WaId is { } waId) contacts._byWaId.TryAdd(waId, contact);
                    if (contact.UserId is { } userId) contacts._byUserId.TryAdd(userId, contact);
                }
                catch (MetaWebhookFormatException)
                {
                    // A damaged contact costs its messages the name, not the messages themselves.
                }
            }
        }
        catch (MetaWebhookFormatException)
        {
            // Likewise for a contacts value that is not an array: the messages are stored without names.
        }
        return contacts;
    }

    public Contact? Find(string? waId, string? userId) =>
        (waId is not null && _byWaId.TryGetValue(waId, out var byWaId) ? byWaId : null)
        ?? (userId is not null && _byUserId.TryGetValue(userId, out var byUserId) ? byUserId : null);
}
