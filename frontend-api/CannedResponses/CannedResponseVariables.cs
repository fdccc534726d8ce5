using System.Collections.Frozen;

namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>
/// The variables a canned response may use. A fixed list, checked when the response is saved, so a typo is a 400 then
/// instead of a gap in a message to a customer later.
/// </summary>
public static class CannedResponseVariables
{
    public const string ContactName = "contact.name";
    public const string ContactFirstName = "contact.first_name";
    public const string ContactPhone = "contact.phone";
    public const string AgentName = "agent.name";
    public const string AgentFirstName = "agent.first_name";
    public const string TenantName = "tenant.name";
    public const string ConversationId = "conversation.id";

    public static readonly FrozenSet<string> All = new[]
    {
        ContactName, ContactFirstName, ContactPhone, AgentName, AgentFirstName, TenantName, ConversationId,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>In the order the README and error messages list them.</summary>
    public static readonly IReadOnlyList<string> Listed =
        [ContactName, ContactFirstName, ContactPhone, AgentName, AgentFirstName, TenantName, ConversationId];
}
