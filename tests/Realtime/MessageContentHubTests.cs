using System.Text.Json;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Webhooks;

namespace Flexoraa.Tests.Realtime;

/// <summary>The hub's MessageReceived carries a message's typed content in the same shape as the REST API.</summary>
public sealed class MessageContentHubTests(InboxHubTests.Host host) : IClassFixture<InboxHubTests.Host>
{
    private readonly TestFrontend _frontend = host.Frontend;

    [Fact]
    public async Task MessageReceived_for_an_order_carries_the_cart_as_the_rest_api_shows_it()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var channel = await WhatsAppTestChannel.ConnectAsync(_frontend, owner, InboxHubTests.DeploymentSecret);
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        const string contact = "919000000091";
        var order = $$$"""{"from":"{{{contact}}}","id":"wamid.hub.order","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","type":"order","order":{"catalog_id":"194836987003835","text":"Love these!","product_items":[{"product_retailer_id":"di9ozbzfi4","quantity":2,"item_price":30,"currency":"USD"},{"product_retailer_id":"nqryix03ez","quantity":1,"item_price":25,"currency":"USD"}]}}""";

        var response = await WhatsAppMessageBody.PostAsync(_frontend, WhatsAppMessageBody.Of(channel.PhoneNumberId, contact, order), InboxHubTests.DeploymentSecret);
        response.EnsureSuccessStatusCode();

        var (_, received) = await client.MessageReceivedAsync("wamid.hub.order");
        Assert.Equal("order", received.GetProperty("kind").GetString());
        Assert.Equal("Love these!", received.GetProperty("body").GetString());
        var content = received.GetProperty("content");
        Assert.Equal("194836987003835", content.GetProperty("order").GetProperty("catalogId").GetString());
        var items = content.GetProperty("order").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["di9ozbzfi4", "nqryix03ez"], items.Select(i => i.GetProperty("productRetailerId").GetString()));
        Assert.Equal([2, 1], items.Select(i => i.GetProperty("quantity").GetInt32()));
        Assert.Equal([3000L, 2500L], items.Select(i => i.GetProperty("unitPriceMinor").GetInt64()));
        Assert.Equal("Love these! · di9ozbzfi4 · nqryix03ez", content.GetProperty("summary").GetString());

        // The same object, property for property, as GET /api/v1/conversations/{id} shows for the stored message.
        var conversationId = received.GetProperty("conversationId").GetString();
        var detail = await Eventually.Get(
            async () => JsonDocument.Parse(await owner.Http.GetStringAsync($"/api/v1/conversations/{conversationId}")).RootElement,
            d => d.GetProperty("messages").GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(30), "the stored order");
        Assert.Equal(content.GetRawText(), detail.GetProperty("messages").GetProperty("items")[0].GetProperty("content").GetRawText());
    }
}
