using System.Text.Json;
using Flexoraa.Channels;
using Flexoraa.Realtime;
using NpgsqlTypes;

namespace Flexoraa.Conversations;

/// <summary>
/// Private notes. They are written here rather than by the API so that the SDR rule ("own or unassigned") is checked by
/// <see cref="Refuse"/> like every other conversation write, in the turn that stores the note: an assignment that lands
/// just before cannot let an SDR write into someone else's conversation.
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task<ConversationNoteResult> AddNote(AddConversationNote request)
    {
        if (Refuse(request.Actor) is { } refused) return new ConversationNoteResult(refused.Outcome, null, null, refused.Error);
        if (state.State.Channel is not { } channel || state.State.ContactId is not { } contact)
        {
            return new ConversationNoteResult(ConversationChangeOutcome.NotFound, null, null);
        }

        var now = clock.GetUtcNow();
        var body = request.Body.Trim();
        var externalId = "note_" + Guid.NewGuid().ToString("N");
        long id;
        await using (var session = await database.BeginAsync(_tenantId))
        {
            await using var insert = session.Command("""
                INSERT INTO messages (tenant_id, conversation_id, channel, channel_account_id, contact_id, external_id, direction, kind, body, raw, occurred_at)
                SELECT c.tenant_id, c.id, c.channel, c.channel_account_id, c.contact_id, @external, 'note', 'note', @body, @raw, @now
                FROM conversations c WHERE c.tenant_id = @tenant AND c.id = @conversation
                RETURNING id
                """);
            insert.Parameters.AddWithValue("external", externalId);
            insert.Parameters.AddWithValue("body", body);
            insert.Parameters.Add(new Npgsql.NpgsqlParameter("raw", NpgsqlDbType.Jsonb)
            {
                Value = JsonSerializer.Serialize(new { authorUserId = request.Actor.UserId, authorApiKeyId = request.AuthorApiKeyId }),
            });
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("tenant", _tenantId);
            insert.Parameters.AddWithValue("conversation", _conversationId);
            if (await insert.ExecuteScalarAsync() is not long stored) return new ConversationNoteResult(ConversationChangeOutcome.NotFound, null, null);
            id = stored;
            await session.CommitAsync();
        }

        // Stored already; PublishAsync only logs a failure to announce, and clients that miss it resync.
        await PublishAsync(new MessageReceived(_tenantId, _conversationId, now, externalId, channel, MessageDirection.Note, MessageKind.Text,
            contact, state.State.ContactName, body));
        return new ConversationNoteResult(ConversationChangeOutcome.Changed, id, now);
    }
}
