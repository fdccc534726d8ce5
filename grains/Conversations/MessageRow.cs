using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Conversations;

/// <summary>
/// One row of <c>messages</c> as every writer inserts it: inbound and echoes (<see cref="AppendMessageWrite"/>, hand-tuned
/// Npgsql inside the group commit), replies and notes (<see cref="MessageStore"/>, Dapper). The column list, the
/// parameter list and the binding all come from <see cref="Fields"/>, so a new column is one line there (and a property).
/// </summary>
public sealed record MessageRow(
    string TenantId,
    string ConversationId,
    string Channel,
    string ChannelAccountId,
    string ContactId,
    string ExternalId,
    string Direction,
    string Kind,
    string? Body,
    string? ReplyToExternalId,
    string AttachmentsJson,
    string RawJson,
    DateTimeOffset OccurredAt,
    string? ContentJson = null,
    string SearchConfig = Tenants.SearchLanguages.Simple)
{
    /// <summary>Column, its PostgreSQL type when the parameter must say it (jsonb, cast in <see cref="Values"/> like regconfig), and the value.</summary>
    private static readonly (string Column, NpgsqlDbType? Type, Func<MessageRow, object?> Value)[] Fields =
    [
        ("tenant_id", null, m => m.TenantId),
        ("conversation_id", null, m => m.ConversationId),
        ("channel", null, m => m.Channel),
        ("channel_account_id", null, m => m.ChannelAccountId),
        ("contact_id", null, m => m.ContactId),
        ("external_id", null, m => m.ExternalId),
        ("direction", null, m => m.Direction),
        ("kind", null, m => m.Kind),
        ("body", NpgsqlDbType.Text, m => m.Body),
        ("reply_to_external_id", NpgsqlDbType.Varchar, m => m.ReplyToExternalId),
        ("attachments", NpgsqlDbType.Jsonb, m => m.AttachmentsJson),
        ("raw", NpgsqlDbType.Jsonb, m => m.RawJson),
        ("occurred_at", NpgsqlDbType.TimestampTz, m => m.OccurredAt),
        ("content", NpgsqlDbType.Jsonb, m => m.ContentJson),
        // The tenant's search language (SearchLanguages.All), which the generated search column stems the text with.
        ("search_config", NpgsqlDbType.Text, m => m.SearchConfig),
    ];

    /// <summary><c>tenant_id, conversation_id, …</c>: the list after <c>INSERT INTO messages</c>.</summary>
    public static readonly string Columns = string.Join(", ", Fields.Select(f => f.Column));

    /// <summary>The matching parameters (<c>@m_tenant_id, …</c>), for <c>VALUES (…)</c> or a <c>SELECT</c> list.</summary>
    public static readonly string Values = string.Join(", ", Fields.Select(f => "@m_" + f.Column + Cast(f.Column, f.Type)));

    private static string Cast(string column, NpgsqlDbType? type) => type == NpgsqlDbType.Jsonb ? "::jsonb" : column == "search_config" ? "::regconfig" : "";

    /// <summary>Binds <see cref="Values"/> on the hot path.</summary>
    public void AddTo(NpgsqlParameterCollection parameters)
    {
        foreach (var (column, type, value) in Fields)
        {
            var parameter = type is { } known ? new NpgsqlParameter("m_" + column, known) : new NpgsqlParameter { ParameterName = "m_" + column };
            parameter.Value = value(this) ?? DBNull.Value;
            parameters.Add(parameter);
        }
    }

    /// <summary>Binds <see cref="Values"/> for Dapper; the jsonb columns are cast in <see cref="Values"/>.</summary>
    public DynamicParameters Parameters()
    {
        var parameters = new DynamicParameters();
        foreach (var (column, _, value) in Fields) parameters.Add("m_" + column, value(this));
        return parameters;
    }
}
