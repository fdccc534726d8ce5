using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.Channels;
using Flexoraa.Conversations;
using Flexoraa.Leads.Scoring;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Leads;

/// <summary>
/// What one engagement call changes on a lead, as one statement in the silo's group commit (<see cref="InboxWriter"/>):
/// the <c>message</c> timeline entries of the run and the score the run gives. Both share a transaction with whatever
/// inbox writes are queued, so a burst of messages adds no commit, connection or round trip of its own to the ingest path
/// (profiled: a score write in its own transaction per run cost more than the message insert itself).
/// <para>
/// The score is written as if every entry were new. An entry whose message the timeline has already is skipped (the
/// unique index of migration 0030), and so are all of them when the lead is gone; <see cref="Recorded"/> names the
/// messages whose entries are new, so the lead can rescore without the repeats, and <see cref="Scored"/> says whether
/// the row was still at the lead's version (an import may have moved it).
/// </para>
/// </summary>
public sealed class LeadEngagementWrite(string tenantId, string leadId, long version, IReadOnlyList<ConversationEngagement> messages, ScoreColumns score)
    : PendingWrite(tenantId)
{
    private const string Sql = $"""
        WITH scored AS (
            UPDATE leads SET {LeadScoreStore.ScoreAssignments}
            WHERE tenant_id = @tenant AND id = @lead AND version = @version
            RETURNING 1
        ), recorded AS (
            INSERT INTO lead_activities (tenant_id, lead_id, kind, body, details, conversation_id, occurred_at, message_external_id)
            SELECT @tenant, @lead, 'message', e.body, e.details, e.conversation_id, e.occurred_at, e.external_id
            FROM unnest(@bodies, @details, @conversations, @occurred, @externals) AS e(body, details, conversation_id, occurred_at, external_id)
            WHERE EXISTS (SELECT 1 FROM leads WHERE tenant_id = @tenant AND id = @lead)
            ON CONFLICT (tenant_id, lead_id, message_external_id) WHERE message_external_id IS NOT NULL DO NOTHING
            RETURNING message_external_id
        )
        SELECT EXISTS (SELECT 1 FROM scored), ARRAY(SELECT message_external_id FROM recorded)
        """;

    /// <summary>The channel ids of the messages whose entries this write added, once it has committed.</summary>
    public IReadOnlySet<string> Recorded => _recorded;

    /// <summary>Whether the score was written: false when the row is gone or has moved past the lead's version.</summary>
    public bool Scored { get; private set; }

    private readonly HashSet<string> _recorded = new(StringComparer.Ordinal);

    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand(Sql);
        var p = command.Parameters;
        p.AddWithValue("tenant", TenantId);
        p.AddWithValue("lead", leadId);
        p.AddWithValue("version", version);
        score.AddTo(p);
        p.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => (object?)m.Preview ?? DBNull.Value).ToArray() });
        p.Add(new NpgsqlParameter("details", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = messages.Select(DetailsJson).ToArray() });
        p.Add(new NpgsqlParameter("conversations", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = messages.Select(m => m.ConversationId).ToArray() });
        p.Add(new NpgsqlParameter("occurred", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = messages.Select(m => m.OccurredAt.UtcDateTime).ToArray() });
        p.Add(new NpgsqlParameter("externals", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = messages.Select(m => m.MessageExternalId!).ToArray() });
        return command;
    }

    public override async Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken)) return false;
        Scored = reader.GetBoolean(0);
        _recorded.UnionWith(reader.GetFieldValue<string[]>(1));
        return Scored || _recorded.Count > 0;
    }

    public override string DeadLetterPayload() => JsonSerializer.Serialize(new { leadId, messages }, ApiJson.Options);

    /// <summary>What the timeline's REST entry shows besides the preview (its body) and the conversation.</summary>
    private static string DetailsJson(ConversationEngagement message)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["direction"] = message.Kind == ConversationEngagementKind.InboundMessage ? "inbound" : "outbound",
            ["messageExternalId"] = message.MessageExternalId!,
        };
        if (message.Channel is { } channel) details["channel"] = ChannelKindNames.Of(channel);
        return JsonSerializer.Serialize(details, ApiJson.Options);
    }
}
