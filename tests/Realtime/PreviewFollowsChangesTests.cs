using System.Text.Json;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Webhooks;

namespace Flexoraa.Tests.Realtime;

/// <summary>
/// The conversation list's preview follows an edit or deletion of the conversation's last message, in the row (REST) and
/// in a ConversationUpdated on the hub, from signed webhooks; a change to an earlier message leaves it alone.
/// </summary>
public sealed class PreviewFollowsChangesTests(InboxHubTests.Host host) : IClassFixture<InboxHubTests.Host>
{
    private readonly TestFrontend _frontend = host.Frontend;

    [Fact]
    public async Task An_edit_of_the_last_message_shows_the_new_text_in_the_preview_and_a_deletion_then_shows_deleted()
    {
        var (owner, channel) = await ConnectAsync();
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        const string contact = "919000000201";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120;
        var target = NewWamid();
        await PostAsync(channel, contact, Text(contact, target, ts, "Delivery to Pnue please"));
        var (_, received) = await client.MessageReceivedAsync(target);
        var conversationId = received.GetProperty("conversationId").GetString()!;

        await PostAsync(channel, contact, Edit(contact, NewWamid(), ts + 30, target, "Delivery to Pune please"));

        var (_, edited) = await client.NextAsync((name, p) => name == "ConversationUpdated" && p.GetProperty("lastMessagePreview").GetString() == "Delivery to Pune please");
        Assert.Equal(conversationId, edited.GetProperty("conversationId").GetString());
        Assert.Equal("Delivery to Pune please", await RestPreviewAsync(owner, conversationId, "Delivery to Pune please"));

        await PostAsync(channel, contact, $$$"""{"from":"{{{contact}}}","id":"{{{NewWamid()}}}","timestamp":"{{{ts + 60}}}","type":"revoke","revoke":{"original_message_id":"{{{target}}}"}}""");

        var (_, deleted) = await client.NextAsync((name, p) => name == "ConversationUpdated" && p.GetProperty("lastMessagePreview").GetString() == "[deleted]");
        Assert.Equal(conversationId, deleted.GetProperty("conversationId").GetString());
        Assert.Equal("[deleted]", await RestPreviewAsync(owner, conversationId, "[deleted]"));
    }

    [Fact]
    public async Task An_edit_or_deletion_of_an_earlier_message_leaves_the_preview_on_the_last_one()
    {
        var (owner, channel) = await ConnectAsync();
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        const string contact = "919000000202";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120;
        var first = NewWamid();
        var last = NewWamid();
        await PostAsync(channel, contact, Text(contact, first, ts, "first words"), Text(contact, last, ts + 1, "last words"));
        await client.MessageReceivedAsync(last);

        await PostAsync(channel, contact, Edit(contact, NewWamid(), ts + 30, first, "first words, edited"));
        await client.NextAsync((name, p) => name == "MessageChanged" && p.GetProperty("messageId").GetString() == first);
        await PostAsync(channel, contact, $$$"""{"from":"{{{contact}}}","id":"{{{NewWamid()}}}","timestamp":"{{{ts + 40}}}","type":"revoke","revoke":{"original_message_id":"{{{first}}}"}}""");
        await client.NextAsync((name, p) => name == "MessageChanged" && p.GetProperty("messageId").GetString() == first && p.GetProperty("deleted").GetBoolean());

        // A preview update would be published right behind its MessageChanged.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.DoesNotContain(client.Drain(), e => e.Name == "ConversationUpdated");
        var conversations = JsonDocument.Parse(await owner.Http.GetStringAsync("/api/v1/conversations")).RootElement;
        Assert.Equal("last words", Assert.Single(conversations.GetProperty("items").EnumerateArray()).GetProperty("lastMessagePreview").GetString());
    }

    [Fact]
    public async Task An_edit_that_arrived_before_its_message_shows_in_the_preview_the_message_brings()
    {
        var (owner, channel) = await ConnectAsync();
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        const string contact = "919000000203";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120;
        var target = NewWamid();
        await PostAsync(channel, contact, Edit(contact, NewWamid(), ts + 30, target, "second thoughts"));
        await Eventually.Get(
            async () => (long)(await OwnerSql.QueryAsync(_frontend, "SELECT count(*) AS n FROM pending_message_changes WHERE tenant_id = @t", ("t", owner.TenantId)))[0]["n"]!,
            n => n == 1, TimeSpan.FromSeconds(30), "the pending edit");

        await PostAsync(channel, contact, Text(contact, target, ts, "first thoughts"));

        var (_, updated) = await client.NextAsync((name, p) => name == "ConversationUpdated");
        Assert.Equal("second thoughts", updated.GetProperty("lastMessagePreview").GetString());
        Assert.Equal("second thoughts", await RestPreviewAsync(owner, updated.GetProperty("conversationId").GetString()!, "second thoughts"));
    }

    private async Task<(TestUser Owner, WhatsAppTestChannel Channel)> ConnectAsync()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        return (owner, await WhatsAppTestChannel.ConnectAsync(_frontend, owner, InboxHubTests.DeploymentSecret));
    }

    private static Task<string?> RestPreviewAsync(TestUser owner, string conversationId, string expected) =>
        Eventually.Get(
            async () => JsonDocument.Parse(await owner.Http.GetStringAsync($"/api/v1/conversations/{conversationId}")).RootElement
                .GetProperty("conversation").GetProperty("lastMessagePreview").GetString(),
            p => p == expected, TimeSpan.FromSeconds(30), $"the preview '{expected}'");

    private static string NewWamid() => "wamid.preview." + Guid.NewGuid().ToString("N");

    private static string Text(string contact, string id, long ts, string body) =>
        $$$"""{"from":"{{{contact}}}","id":"{{{id}}}","timestamp":"{{{ts}}}","type":"text","text":{"body":"{{{body}}}"}}""";

    private static string Edit(string contact, string id, long ts, string target, string body) =>
        $$$$$"""{"from":"{{{{{contact}}}}}","id":"{{{{{id}}}}}","timestamp":"{{{{{ts}}}}}","type":"edit","edit":{"original_message_id":"{{{{{target}}}}}","message":{"type":"text","text":{"body":"{{{{{body}}}}}"}}}}""";

    private async Task PostAsync(WhatsAppTestChannel channel, string contact, params string[] messages)
    {
        var response = await WhatsAppMessageBody.PostAsync(_frontend, WhatsAppMessageBody.Of(channel.PhoneNumberId, contact, messages), InboxHubTests.DeploymentSecret);
        response.EnsureSuccessStatusCode();
    }
}
