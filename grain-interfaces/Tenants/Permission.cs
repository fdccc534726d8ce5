namespace Flexoraa.Tenants;

/// <summary>Something a caller may be allowed to do. Endpoints ask for a permission, never for a role.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Permission is the domain's word for it; the rule guards against names of .NET's own permission types.")]
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
