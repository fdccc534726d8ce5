namespace Flexoraa.Channels;

/// <summary>
/// A WhatsApp contact id is either a wa_id (the customer's number without its '+', digits only) or, for a customer who
/// hides their number behind a username, a business-scoped user id (BSUID, e.g. <c>US.13491208655302741918</c>).
/// </summary>
public static class WhatsAppContactId
{
    /// <summary>True for a wa_id: an E.164 number's 6 to 15 digits.</summary>
    public static bool IsWaId(string contactId) => contactId.Length is >= 6 and <= 15 && contactId.All(char.IsAsciiDigit);
}
