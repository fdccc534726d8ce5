using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Conversations;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// One real resource of every kind an <c>/api/v1</c> path names (<c>{tenantId}</c>, <c>{conversationId}</c>...), owned by
/// one tenant: the OpenAPI-driven tests (cross-tenant probe, hostile-input sweep) fill path templates from it.
/// </summary>
public static class SeededTenant
{
    /// <summary>Creates the resources through the API where it can, and as ingest would write them where it cannot.</summary>
    public static async Task<Dictionary<string, string>> CreateAsync(TestFrontend frontend, TestUser owner, string company)
    {
        var key = await owner.Http.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/api-keys", new { name = company + " key", role = "member" });
        key.EnsureSuccessStatusCode();
        var invitation = await owner.Http.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/invitations", new { email = $"invitee-{Guid.NewGuid():N}@example.com", role = "member" });
        invitation.EnsureSuccessStatusCode();
        var channelAccountId = await ChannelAccountAsync(owner, company);
        var conversationId = await ConversationAsync(frontend, owner, channelAccountId, company);
        var canned = await owner.Http.PostAsJsonAsync("/api/v1/canned-responses", new { shortcut = "seeded", content = company + " {{contact.name}}" });
        canned.EnsureSuccessStatusCode();
        var lead = await owner.Http.PostAsJsonAsync("/api/v1/leads", new { firstName = company, company, email = $"lead-{Guid.NewGuid():N}@example.com" });
        lead.EnsureSuccessStatusCode();
        var import = await owner.Http.PostAsync("/api/v1/lead-imports?fileName=seeded.csv",
            new StringContent($"Name,Email\n{company},import-{Guid.NewGuid():N}@example.com\n", System.Text.Encoding.UTF8, "text/csv"));
        import.EnsureSuccessStatusCode();
        var field = await owner.Http.PostAsJsonAsync("/api/v1/lead-fields", new { key = "seeded_field", label = company, type = "text" });
        field.EnsureSuccessStatusCode();
        var leadId = (await lead.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var bulk = await owner.Http.PostAsJsonAsync("/api/v1/lead-bulk-actions", new { action = "export", leadIds = new[] { leadId } });
        bulk.EnsureSuccessStatusCode();
        return new()
        {
            ["fieldId"] = "seeded_field",
            ["bulkActionId"] = (await bulk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!,
            ["invitationId"] = (await invitation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!,
            ["tenantId"] = owner.TenantId,
            ["userId"] = owner.UserId,
            ["apiKeyId"] = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!,
            ["channelAccountId"] = channelAccountId,
            ["mediaId"] = await MediaAsync(frontend, owner, company),
            ["conversationId"] = conversationId,
            ["messageId"] = await MessageAsync(frontend, owner, conversationId, channelAccountId, company),
            ["cannedResponseId"] = (await canned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!,
            ["leadId"] = leadId,
            ["importId"] = (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("import").GetProperty("id").GetString()!,
            // Every tenant has its default pipeline.
            ["pipelineId"] = (await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/pipelines")).GetProperty("items")[0].GetProperty("id").GetString()!,
        };
    }

    /// <summary>A message in the conversation, as ingest would write it (as the database owner).</summary>
    private static async Task<string> MessageAsync(TestFrontend frontend, TestUser owner, string conversationId, string channelAccountId, string company)
    {
        var rows = await OwnerSql.QueryAsync(frontend, """
            INSERT INTO messages (tenant_id, conversation_id, channel, channel_account_id, contact_id, external_id, direction, kind, body, raw, occurred_at)
            VALUES (@tenant, @conversation, 'whatsapp', @account, '919900000001', @external, 'inbound', 'text', @body, '{}', now())
            RETURNING id
            """, ("tenant", owner.TenantId), ("conversation", conversationId), ("account", channelAccountId),
            ("external", "wamid.seeded-" + Guid.NewGuid().ToString("N")), ("body", company));
        return ((long)rows[0]["id"]!).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A stored media row, as the fetch leaves it (written as the database owner).</summary>
    private static async Task<string> MediaAsync(TestFrontend frontend, TestUser owner, string company)
    {
        var id = Flexoraa.Media.MediaObjectIds.For(owner.TenantId, Flexoraa.Channels.ChannelKind.WhatsApp, "2754859441498128");
        await OwnerSql.ExecuteAsync(frontend, """
            INSERT INTO media_objects (tenant_id, id, conversation_id, message_external_id, channel, channel_account_id, kind,
                                       external_media_id, file_name, mime_type, status, blob_key, stored_at)
            VALUES (@tenant, @id, 'cv_seeded', 'wamid.seeded', 'whatsapp', 'ch_seeded', 'document',
                    '2754859441498128', @fileName, 'application/pdf', 'stored', @blob, now())
            """, ("tenant", owner.TenantId), ("id", id), ("fileName", company + ".pdf"), ("blob", $"{owner.TenantId}/{id}"));
        return id;
    }

    private static async Task<string> ChannelAccountAsync(TestUser owner, string company)
    {
        // A phone number id of the tenant's own, so several seeded tenants can share one frontend.
        var phoneNumberId = "1065" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var created = await owner.Http.PostAsJsonAsync("/api/v1/channels", new
        {
            channel = "whatsapp", phoneNumberId, wabaId = "102290129340398",
            accessToken = "EAAG-seeded-token-0001", appSecret = "seeded-app-secret", displayName = company,
        });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()
            ?? throw new InvalidOperationException($"The seeded tenant could not connect a channel: {created.StatusCode}");
    }

    /// <summary>A conversation row as ingest would write it, inserted as the database owner (test hosts have no Meta app).</summary>
    private static async Task<string> ConversationAsync(TestFrontend frontend, TestUser owner, string channelAccountId, string company)
    {
        var id = ConversationKeys.ConversationId(channelAccountId, "919900000001");
        await OwnerSql.ExecuteAsync(frontend,
            "INSERT INTO conversations (tenant_id, id, channel, channel_account_id, contact_id, contact_name, last_message_at, last_message_preview) " +
            "VALUES (@tenant, @id, 'whatsapp', @account, '919900000001', @name, now(), @name)",
            ("tenant", owner.TenantId), ("id", id), ("account", channelAccountId), ("name", company));
        return id;
    }
}
