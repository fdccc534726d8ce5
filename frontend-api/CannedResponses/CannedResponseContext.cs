namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>What a canned response is expanded with: the conversation's contact, the agent writing, and the tenant.</summary>
public sealed record CannedResponseContext(string? ContactName, string? ContactPhone, string? AgentName, string? TenantName, string? ConversationId)
{
    public IReadOnlyDictionary<string, string?> Values() => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        [CannedResponseVariables.ContactName] = ContactName,
        [CannedResponseVariables.ContactFirstName] = FirstName(ContactName),
        [CannedResponseVariables.ContactPhone] = ContactPhone,
        [CannedResponseVariables.AgentName] = AgentName,
        [CannedResponseVariables.AgentFirstName] = FirstName(AgentName),
        [CannedResponseVariables.TenantName] = TenantName,
        [CannedResponseVariables.ConversationId] = ConversationId,
    };

    /// <summary>The first word: "Priya Sharma" → "Priya". Names without spaces are their own first name.</summary>
    public static string? FirstName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var trimmed = name.Trim();
        var space = trimmed.AsSpan().IndexOfAny(' ', '\t', '\n');
        return space < 0 ? trimmed : trimmed[..space];
    }

    /// <summary>
    /// A WhatsApp wa_id is the number in international form without the '+' (country code first, at most 15 digits), so
    /// prefixing '+' makes it E.164. Anything else (a Messenger or Instagram id) is not a phone number at all.
    /// </summary>
    public static string? PhoneFromWhatsAppId(string? waId) =>
        waId is { Length: >= 7 and <= 15 } && waId[0] != '0' && waId.All(char.IsAsciiDigit) ? "+" + waId : null;
}
