namespace Flexoraa.Tenants;

/// <summary>Something a caller may be allowed to do. Endpoints ask for a permission, never for a role.</summary>
public enum Permission
{
    ReadTenant,
    ManageTenantSettings,
    ManageAiSettings,
    ManageBilling,
    TransferOwnership,
    ReadMembers,
    ManageMembers,
    ManageChannels,
    ManageApiKeys,
    ReadAuditLog,
    Export,
    ReadConversations,
    WorkConversations,
    ReadLeads,
    WorkLeads,
    ManageCannedResponses,
}
