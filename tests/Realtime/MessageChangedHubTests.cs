using System.Text.Json;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Webhooks;

namespace Flexoraa.Tests.Realtime;

/// <summary>The hub's MessageChanged carries a message's new state after a reaction and a deletion, as the REST API shows it.</summary>
public sealed class MessageChangedHubTests(InboxHubTests.Host host) : IClassFixture<InboxHubTests.Host>
{
    private readonly TestFrontend _frontend = host.Frontend;

    [Fact]
    public async Task A_reaction_then_a_revoke_each_publish_MessageChanged_with_the_message_s_reactions_and_its_hidden_body()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var channel = await WhatsAppTestChannel.ConnectAsync(_frontend, owner, InboxHubTests.DeploymentSecret);
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        const string contact = "919000000092";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        var target = "wamid.hub.changed." + Guid.NewGuid().ToString("N");

        await PostAsync(channel.PhoneNumberId, contact, $$$"""{"from":"{{{contact}}}","id":"{{{target}}}","timestamp":"{{{ts}}}","type":"text","text":{"body":"See you at 5"}}""");
        await client.MessageReceivedAsync(target);

        await PostAsync(channel.PhoneNumberId, contact,
            $$$"""{"from":"{{{contact}}}","id":"wamid.hub.react.{{{Guid.NewGuid():N}}}","timestamp":"{{{ts + 1}}}","type":"reaction","reaction":{"message_id":"{{{target}}}","emoji":"👍"}}""");
        var (_, reacted) = await client.NextAsync((name, p) => name == "MessageChanged" && p.GetProperty("messageId").GetString() == target);
        var reaction = Assert.Single(reacted.GetProperty("reactions").EnumerateArray());
        Assert.Equal(contact, reaction.GetProperty("by").GetString());
        Assert.Equal("👍", reaction.GetProperty("emoji").GetString());
        Assert.Equal("See you at 5", reacted.GetProperty("body").GetString());
        Assert.False(reacted.GetProperty("deleted").GetBoolean());

        await PostAsync(channel.PhoneNumberId, contact,
            $$$"""{"from":"{{{contact}}}","id":"wamid.hub.revoke.{{{Guid.NewGuid():N}}}","timestamp":"{{{ts + 2}}}","type":"revoke","revoke":{"original_message_id":"{{{target}}}"}}""");
        var (_, deleted) = await client.NextAsync((name, p) => name == "MessageChanged" && p.GetProperty("messageId").GetString() == target && p.GetProperty("deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, deleted.GetProperty("body").ValueKind);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(ts + 2), deleted.GetProperty("deletedAt").GetDateTimeOffset());
        Assert.Single(deleted.GetProperty("reactions").EnumerateArray());

        // The same state as GET /api/v1/conversations/{id} shows for the stored message.
        var conversationId = deleted.GetProperty("conversationId").GetString();
        var detail = await Eventually.Get(
            async () => JsonDocument.Parse(await owner.Http.GetStringAsync($"/api/v1/conversations/{conversationId}")).RootElement,
            d => d.GetProperty("messages").GetProperty("items")[0].GetProperty("deleted").GetBoolean(), TimeSpan.FromSeconds(30), "the deleted message");
        var stored = detail.GetProperty("messages").GetProperty("items")[0];
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("body").ValueKind);
        Assert.Equal(deleted.GetProperty("reactions").GetRawText(), stored.GetProperty("reactions").GetRawText());
    }

    private async Task PostAsync(string phoneNumberId, string contact, string message)
    {
        var response = await WhatsAppMessageBody.PostAsync(_frontend, WhatsAppMessageBody.Of(phoneNumberId, contact, message), InboxHubTests.DeploymentSecret);
        response.EnsureSuccessStatusCode();
    }
}
