namespace Flexoraa.FrontendApi.Audit;

/// <summary>
/// The audited actions, as stored in <c>audit_log.action</c> and filtered by <c>GET /api/v1/audit?action=</c>. A conversation's
/// are the grain's (it writes them in the change's transaction).
/// </summary>
public static class AuditActions
{
    public const string Login = "auth.login";
    public const string LoginFailed = "auth.login_failed";
    public const string RefreshTokenReused = "auth.refresh_reuse";
    public const string RoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";
    public const string MemberInvited = "member.invited";
    public const string MemberJoined = "member.joined";
    public const string InvitationRevoked = "member.invitation_revoked";
    public const string OwnershipTransferred = "member.ownership_transferred";
    public const string CapacityChanged = "member.capacity_changed";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string SettingsChanged = "tenant.settings_changed";
    public const string Export = "export";
    public const string ChannelConnected = "channel.connected";
    public const string ChannelUpdated = "channel.updated";
    public const string ChannelDisconnected = "channel.disconnected";
    public const string CannedResponseCreated = "canned_response.created";
    public const string CannedResponseUpdated = "canned_response.updated";
    public const string CannedResponseDeleted = "canned_response.deleted";
    public const string ConversationStatusChanged = Flexoraa.Conversations.ConversationAuditActions.StatusChanged;
    public const string ConversationSnoozed = Flexoraa.Conversations.ConversationAuditActions.Snoozed;
    public const string ConversationAssigned = Flexoraa.Conversations.ConversationAuditActions.Assigned;
    public const string ConversationUnassigned = Flexoraa.Conversations.ConversationAuditActions.Unassigned;
    public const string ConversationTagsChanged = Flexoraa.Conversations.ConversationAuditActions.TagsChanged;
    public const string ConversationNoteAdded = Flexoraa.Conversations.ConversationAuditActions.NoteAdded;
}
