using Flexoraa.Channels;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>
/// Whether the caller's tenant has a conversation, asked before anything touches its grain: every conversation endpoint
/// and the inbox hub go through here, so another tenant's id is simply not found (explicit tenant filter, and row-level
/// security as the second line) and never activates a grain. An id that is not even well formed is not found without a
/// query.
/// </summary>
public sealed class ConversationLookup(TenantDatabase database)
{
    public async Task<bool> ExistsAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        if (!ConversationIds.IsWellFormed(conversationId)) return false;
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.ExecuteScalarAsync<int?>(
            "SELECT 1 FROM conversations WHERE tenant_id = @tenant AND id = @id", new { id = conversationId }, cancellationToken) is not null;
    }

    /// <summary>The conversation's channel; null when the tenant has no such conversation.</summary>
    public async Task<ChannelKind?> ChannelOfAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        if (!ConversationIds.IsWellFormed(conversationId)) return null;
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var name = await session.ExecuteScalarAsync<string>(
            "SELECT channel FROM conversations WHERE tenant_id = @tenant AND id = @id", new { id = conversationId }, cancellationToken);
        return name is not null && ChannelKindNames.TryParse(name, out var channel) ? channel : null;
    }
}
