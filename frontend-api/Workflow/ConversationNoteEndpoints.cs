using System.Globalization;
using System.Text.Json;
using Flexoraa.Channels;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Realtime;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using NpgsqlTypes;

namespace Flexoraa.FrontendApi.Workflow;

/// <summary>
/// Private notes: written by agents into a conversation's timeline for each other, never sent to the customer.
/// They are stored as messages with direction <c>note</c>, so they appear in the conversation's history and in search,
/// but they do not move the conversation's preview, unread count or service window.
/// </summary>
public static class ConversationNoteEndpoints
{
    public const int MaxNoteLength = 4000;

    public static RouteGroupBuilder MapConversationNoteEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/conversations/{conversationId}/notes", AddNote).RequirePermission(Permission.WorkConversations)
            .WithTags("Inbox").WithSummary("Add a private note to a conversation (never sent to the customer)");
        return api;
    }

    private static async Task<Results<Created<ConversationNoteView>, ValidationProblem, ProblemHttpResult>> AddNote(
        string conversationId, AddNoteRequest request, TenantDatabase database, IGrainFactory grains, TimeProvider clock, HttpContext http,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!ConversationIds.IsWellFormed(conversationId)) return ApiProblems.NotFound("The conversation");

        var now = clock.GetUtcNow();
        await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
        // Existence first, so another tenant's id is a 404 whatever the body says.
        await using (var exists = session.Command("SELECT 1 FROM conversations WHERE tenant_id = @tenant AND id = @conversation"))
        {
            exists.Parameters.AddWithValue("tenant", caller.TenantId);
            exists.Parameters.AddWithValue("conversation", conversationId);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null) return ApiProblems.NotFound("The conversation");
        }
        if (string.IsNullOrWhiteSpace(request.Body)) return ApiProblems.Validation("body", "The note needs some text.");
        if (request.Body.Length > MaxNoteLength) return ApiProblems.Validation("body", $"A note is at most {MaxNoteLength} characters.");

        await using var insert = session.Command("""
            INSERT INTO messages (tenant_id, conversation_id, channel, channel_account_id, contact_id, external_id, direction, kind, body, raw, occurred_at)
            SELECT c.tenant_id, c.id, c.channel, c.channel_account_id, c.contact_id, @external, 'note', 'note', @body, @raw, @now
            FROM conversations c WHERE c.tenant_id = @tenant AND c.id = @conversation
            RETURNING id
            """);
        var externalId = "note_" + Guid.NewGuid().ToString("N");
        insert.Parameters.AddWithValue("external", externalId);
        insert.Parameters.AddWithValue("body", request.Body.Trim());
        insert.Parameters.Add(new Npgsql.NpgsqlParameter("raw", NpgsqlDbType.Jsonb)
        {
            Value = JsonSerializer.Serialize(new { authorUserId = caller.UserId, authorApiKeyId = caller.ApiKeyId }),
        });
        insert.Parameters.AddWithValue("now", now);
        insert.Parameters.AddWithValue("tenant", caller.TenantId);
        insert.Parameters.AddWithValue("conversation", conversationId);
        if (await insert.ExecuteScalarAsync(cancellationToken) is not long id) return ApiProblems.NotFound("The conversation");
        // Id and length only: the text is in the conversation already, and the log should not become a second copy of it.
        await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.ConversationNoteAdded, caller.UserId, caller.ApiKeyId,
            ConversationWorkflowAudit.TargetType, conversationId, http.ClientIp(),
            new Dictionary<string, string?>
            {
                ["noteId"] = id.ToString(CultureInfo.InvariantCulture),
                ["length"] = request.Body.Trim().Length.ToString(CultureInfo.InvariantCulture),
            }),
            cancellationToken);
        var contact = await ContactOfAsync(session, conversationId, cancellationToken);
        await session.CommitAsync(cancellationToken);

        // The other agents see the note appear live. It is stored already, so a failure to announce it must not fail the
        // request: clients that miss it resync or reload.
        try
        {
            await grains.GetGrain<ITenantUpdatesGrain>(caller.TenantId).Publish(new MessageReceived(caller.TenantId, conversationId, now,
                externalId, contact.Channel, MessageDirection.Note, MessageKind.Text, contact.ContactId, contact.ContactName, request.Body.Trim()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(ConversationNoteEndpoints)).LogWarning(e, "Could not announce note {NoteId} of conversation {Conversation}", id, conversationId);
        }

        return TypedResults.Created($"/api/v1/conversations/{conversationId}",
            new ConversationNoteView(id, conversationId, request.Body.Trim(), caller.ActorId, now));
    }

    private sealed record NoteContact(ChannelKind Channel, string ContactId, string? ContactName);

    private static async Task<NoteContact> ContactOfAsync(TenantSession session, string conversationId, CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT channel, contact_id, contact_name FROM conversations WHERE tenant_id = @tenant AND id = @conversation");
        command.Parameters.AddWithValue("tenant", session.TenantId);
        command.Parameters.AddWithValue("conversation", conversationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new NoteContact(Enum.Parse<ChannelKind>(reader.GetString(0), ignoreCase: true), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }
}
