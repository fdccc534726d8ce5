using System.Text.Json;
using Flexoraa.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Conversations;

/// <summary>The link inside the group commit; <see cref="LeadId"/> is null when it lost a race (or was refused).</summary>
public sealed class LeadLinkWrite(string tenantId, string conversationId, ChannelKind channel, string contactId, string? contactName, string? previousConversationId = null)
    : PendingWrite(tenantId)
{
    public string? LeadId { get; private set; }

    /// <summary>The lead took the customer's new number: its row changed under its grain.</summary>
    public bool MovedPhone { get; private set; }

    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand(ContactLeadLinks.Sql);
        var p = command.Parameters;
        p.AddWithValue("tenant", TenantId);
        p.AddWithValue("conversation", conversationId);
        p.AddWithValue("channel", ChannelKindNames.Of(channel));
        p.AddWithValue("contact", contactId);
        p.Add(new NpgsqlParameter("phone", NpgsqlDbType.Varchar) { Value = (object?)ContactLeadLinks.PhoneOf(channel, contactId) ?? DBNull.Value });
        p.Add(new NpgsqlParameter("name", NpgsqlDbType.Varchar) { Value = (object?)contactName ?? DBNull.Value });
        p.AddWithValue("newLead", ContactLeadLinks.NewLeadId());
        p.Add(new NpgsqlParameter("previous", NpgsqlDbType.Varchar) { Value = (object?)previousConversationId ?? DBNull.Value });
        p.AddWithValue("defaultPipeline", Leads.PipelinesGrain.DefaultPipelineId(TenantId));
        p.AddWithValue("defaultPipelineName", Leads.PipelinesGrain.DefaultPipelineName);
        p.AddWithValue("defaultStages", ContactLeadLinks.DefaultStagesJson);
        p.AddWithValue("defaultStage", Leads.PipelinesGrain.DefaultStages[0].Id);
        return command;
    }

    public override async Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken)) return false;
        LeadId = reader.GetString(0);
        MovedPhone = reader.GetBoolean(1);
        return true;
    }

    public override string DeadLetterPayload() => JsonSerializer.Serialize(new { conversationId, channel, contactId, contactName, previousConversationId });
}
