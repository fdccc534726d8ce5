using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Inbox;

/// <summary>
/// Rows stored before issue 12 have <c>attachments[].kind</c> as MessageKind's number; migration 0026 rewrites them to the
/// wire names newer rows have (its <c>messages_attachment_kinds_to_names()</c>, which a rolling upgrade can run again).
/// </summary>
public sealed class AttachmentKindMigrationTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task A_row_stored_with_numeric_attachment_kinds_reads_back_with_their_names_after_the_migration_statement()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        const string contact = "919811100010";
        await inbox.SendAsync(contact, "hello", DateTimeOffset.UtcNow.AddMinutes(-10));
        await inbox.WaitForMessagesAsync();
        var externalId = "wamid.legacy." + Guid.NewGuid().ToString("N");
        // As the code before issue 12 wrote it: JsonSerializerOptions.Web, so enums as numbers (2 image, 5 document, 9 buttonReply).
        await OwnerSql.ExecuteAsync(_frontend, """
            INSERT INTO messages (tenant_id, conversation_id, channel, channel_account_id, contact_id, external_id, direction, kind, body, attachments, raw, occurred_at)
            VALUES (@t, @c, 'whatsapp', @a, @contact, @e, 'inbound', 'image', 'old photo',
                    '[{"kind":2,"mediaId":"111","mimeType":"image/jpeg","isVoiceNote":false},{"kind":5,"fileName":"a.pdf"},{"kind":"video"},{"kind":9}]'::jsonb,
                    '{}'::jsonb, now() - interval '5 minutes')
            """, ("t", inbox.TenantId), ("c", inbox.ConversationIdOf(contact)), ("a", inbox.ChannelAccountId), ("contact", contact), ("e", externalId));

        var rewritten = (long)(await OwnerSql.QueryAsync(_frontend, "SELECT messages_attachment_kinds_to_names() AS n"))[0]["n"]!;

        Assert.True(rewritten >= 1);
        var detail = await inbox.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{inbox.ConversationIdOf(contact)}");
        var message = detail.GetProperty("messages").GetProperty("items").EnumerateArray().Single(m => m.GetProperty("externalId").GetString() == externalId);
        Assert.Equal(["image", "document", "video", "buttonReply"], message.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("kind").GetString()));
        Assert.Equal("111", message.GetProperty("attachments")[0].GetProperty("mediaId").GetString());
        Assert.Equal("a.pdf", message.GetProperty("attachments")[1].GetProperty("fileName").GetString());
        // Nothing numeric is left for SQL consumers, and running it again changes nothing.
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, """
            SELECT 1 FROM messages WHERE tenant_id = @t AND jsonb_path_exists(attachments, '$[*].kind ? (@.type() == "number")')
            """, ("t", inbox.TenantId)));
        Assert.Equal(0L, (long)(await OwnerSql.QueryAsync(_frontend, "SELECT messages_attachment_kinds_to_names() AS n"))[0]["n"]!);
    }
}
