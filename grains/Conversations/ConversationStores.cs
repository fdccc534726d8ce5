using Flexoraa.Outbound;

namespace Flexoraa.Conversations;

/// <summary>
/// Everything a <see cref="ConversationGrain"/> reads and writes PostgreSQL through, as one constructor dependency: the
/// group commit for inbound traffic, the stores for its row, its messages and its lead, the sandbox question a reply
/// asks and the tenant's search language its rows are indexed with. All singletons; a conversation activation constructs
/// none of them.
/// </summary>
public sealed record ConversationStores(
    InboxWriter Writer,
    ConversationStore Conversations,
    MessageStore Messages,
    ContactLeadLinks Leads,
    ReplySandbox Sandbox,
    Tenants.TenantSearchLanguages SearchLanguages);
