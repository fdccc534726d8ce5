using System.Globalization;
using System.Text.Json;
using Flexoraa.Channels;
using Flexoraa.Realtime;

namespace Flexoraa.Conversations;

/// <summary>
/// Private notes. They are written here rather than by the API so that the SDR rule ("own or unassigned") is checked by
/// <see cref="RefuseAsync"/> like every other conversation write, in the turn that stores the note: an assignment that
/// lands just before cannot let an SDR write into someone else's conversation. The note and its audit entry commit
/// together, and the note is announced only after.
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task<ConversationNoteResult> AddNote(AddConversationNote request)
    {
        if (await RefuseAsync(request.Actor) is { } refused) return new ConversationNoteResult(refused.Outcome, null, null, refused.Error);
        if (state.State.Channel is not { } channel || state.State.ChannelAccountId is not { } account || state.State.ContactId is not { } contact)
        {
            return new ConversationNoteResult(ConversationChangeOutcome.NotFound, null, null);
        }

        var now = StoredTime(clock.GetUtcNow());
        var body = request.Body.Trim();
        var externalId = "note_" + Guid.NewGuid().ToString("N");
        var note = new MessageRow(_tenantId, _conversationId, ChannelKindNames.Of(channel), account, contact, externalId, "note", "note", body, null, "[]",
            JsonSerializer.Serialize(new { authorUserId = request.Actor.UserId, authorApiKeyId = request.AuthorApiKeyId }), now,
            SearchConfig: await stores.SearchLanguages.OfAsync(_tenantId));
        // Id and length only: the text is in the conversation already, and the log should not become a second copy of it.
        if (await stores.Messages.AddNoteAsync(note, request.Actor, new ConversationChangeOrigin(request.AuthorApiKeyId, request.Ip),
                id => new ConversationAuditEntry(ConversationAuditActions.NoteAdded, new Dictionary<string, string?>
                {
                    ["noteId"] = id.ToString(CultureInfo.InvariantCulture),
                    ["length"] = body.Length.ToString(CultureInfo.InvariantCulture),
                })) is not { } id)
        {
            return new ConversationNoteResult(ConversationChangeOutcome.NotFound, null, null);
        }

        await PublishAllAsync([new MessageReceived(_tenantId, _conversationId, now, externalId, channel, MessageDirection.Note, MessageKind.Text,
            contact, state.State.ContactName, body, StoredId: id, AttachmentsJson: note.AttachmentsJson)]);
        return new ConversationNoteResult(ConversationChangeOutcome.Changed, id, now);
    }
}
