using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// What the inbox hub reads from <c>conversations</c>: only whether the caller's tenant has a conversation, before a
/// connection may join its group or type in it. Filtered by tenant explicitly and by row-level security, so another
/// tenant's id is simply not found.
/// </summary>
public static class HubConversationStore
{
    public static async Task<bool> ExistsAsync(TenantDatabase database, string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.ExecuteScalarAsync<int?>(
            "SELECT 1 FROM conversations WHERE tenant_id = @tenant AND id = @id", new { id = conversationId }, cancellationToken) is not null;
    }
}
