using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Inbox;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Webhooks;

/// <summary>
/// Every WhatsApp message kind, posted as Meta sends it (reference sections A.3 and C.2) through the signed webhook,
/// read back through the REST API (the conversation's messages and the message by id) with its typed content, and
/// found by full-text search through the content's summary. Also: one malformed message of a delivery is
/// dead-lettered while its siblings are stored, and only a body that is not a webhook at all is refused.
/// </summary>
public sealed class MessageContentIngressTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    /// <summary>Kind, Meta's message object ({id}, {from}, {ts} filled in), a content path and the value it must have, a search word.</summary>
    public static TheoryData<string, string, string, string, string?> Kinds() => new()
    {
        {
            "location",
            """{"from":"{from}","id":"{id}","timestamp":"{ts}","type":"location","location":{"latitude":38.9806263495,"longitude":-131.9428612257,"name":"Main Street Beach","address":"Main Street Beach, Santa Cruz, CA"}}""",
            "location.address", "Main Street Beach, Santa Cruz, CA", "Cruz"
        },
        {
            "location",
            """{"from":"{from}","id":"{id}","timestamp":"{ts}","type":"location","location":{"latitude":38.9806263495,"longitude":-131.9428612257}}""",
            "location.mapUrl", "https://www.google.com/maps/search/?api=1&query=38.9806263495,-131.9428612257", null
        },
        {
            "contacts",
            """{"from":"{from}","id":"{id}","timestamp":"{ts}","type":"contacts","contacts":[{"name":{"first_name":"Barbara","last_name":"Johnson","formatted_name":"Barbara J. Johnson"},"org":{"company":"Social Tsunami"},"phones":[{"phone":"+1 (415) 555-0829","wa_id":"14125550829","type":"MOBILE"}]}]}""",
            "contacts.cards[0].phones[0].waId", "14125550829", "Tsunami"
        },
        {
            "order",
            """{"from":"{from}","id":"{id}","timestamp":"{ts}","type":"order","order":{"catalog_id":"194836987003835","text":"Love these!","product_items":[{"product_retailer_id":"di9ozbzfi4","quantity":2,"item_price":30,"currency":"USD"},{"product_retailer_id":"nqryix03ez","quantity":1,"item_price":25,"currency":"USD"}]}}""",
            "order.items[1].unitPriceMinor", "2500", "nqryix03ez"
        },
        {
            "flowReply",
            """{"context":{"from":"16315558151","id":"gBGGEiRVVgBPAgm7FUgc73noXjo"},"from":"{from}","id":"{id}","timestamp":"{ts}","type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"name":"flow","body":"Sent","response_json":"{\"flow_token\":\"AQAAAAACS5FpgQ_cAAAAAD0QI3s.\",\"neighbourhood\":\"Koramangala\"}"}}}""",
            "flowReply.fields[0].value", "Koramangala", "Koramangala"
        },
        {
            "text",
            """{"from":"{from}","id":"{id}","timestamp":"{ts}","type":"text","text":{"body":"Is this available?"},"referral":{"source_url":"https://fb.me/abc","source_id":"120200","source_type":"ad","headline":"Monsoon clearance","body":"50% off","media_type":"image","image_url":"https://example.test/i.jpg","ctwa_clid":"ARAkLkA"}}""",
            "referral.imageUrl", "https://example.test/i.jpg", "Monsoon"
        },
        {
            "button",
            """{"context":{"from":"16505553333","id":"wamid.gBGGFlCGg0cvAgkLFm4e9tICiTI"},"from":"{from}","id":"{id}","timestamp":"{ts}","type":"button","button":{"text":"No","payload":"No-Button-Payload"}}""",
            "choice.payload", "No-Button-Payload", null
        },
        {
            "unsupported",
            """{"from":"{from}","id":"{id}","timestamp":"{ts}","type":"unsupported","unsupported":{"type":"edit"},"errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}]}""",
            "unsupported.errorTitle", "Message type unknown", "unknown"
        },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_kind_s_content_is_in_the_conversation_the_message_and_search(string kind, string template, string path, string expected, string? searchWord)
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        var contact = "9198" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        var id = $"wamid.content.{Guid.NewGuid():N}";
        var message = template.Replace("{from}", contact, StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal)
            .Replace("{ts}", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var response = await WhatsAppMessageBody.PostAsync(_frontend, WhatsAppMessageBody.Of(inbox.PhoneNumberId, contact, message), MetaAppFrontend.AppSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var conversation = await Eventually.Get(
            () => GetAsync(inbox.Owner, $"/api/v1/conversations/{inbox.ConversationIdOf(contact)}"),
            c => c.ValueKind == JsonValueKind.Object && c.GetProperty("messages").GetProperty("items").GetArrayLength() == 1,
            TimeSpan.FromSeconds(30), "the stored message");
        var listed = conversation.GetProperty("messages").GetProperty("items")[0];
        Assert.Equal(id, listed.GetProperty("externalId").GetString());
        Assert.Equal(kind, listed.GetProperty("kind").GetString());
        Assert.Equal(expected, Text(At(listed.GetProperty("content"), path)));

        var single = await GetAsync(inbox.Owner, $"/api/v1/conversations/{inbox.ConversationIdOf(contact)}/messages/{listed.GetProperty("id").GetInt64()}");
        Assert.Equal(expected, Text(At(single.GetProperty("content"), path)));
        Assert.Equal(listed.GetProperty("content").GetProperty("summary").GetString(), single.GetProperty("content").GetProperty("summary").GetString());

        if (searchWord is not null)
        {
            var hits = (await GetAsync(inbox.Owner, "/api/v1/search/messages?q=" + Uri.EscapeDataString(searchWord))).GetProperty("items").EnumerateArray().ToList();
            var hit = Assert.Single(hits);
            Assert.Equal(id, hit.GetProperty("message").GetProperty("externalId").GetString());
            Assert.Contains($"<mark>{searchWord}</mark>", hit.GetProperty("snippet").GetString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_delivery_of_three_with_the_middle_one_malformed_is_200_stores_the_two_and_dead_letters_the_one_with_its_path_and_reason()
    {
        var inbox = await InboxTenant.CreateAsync(_frontend);
        const string contact = "919877700001";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = WhatsAppMessageBody.Of(inbox.PhoneNumberId, contact,
            $$$"""{"from":"{{{contact}}}","id":"wamid.batch.first","timestamp":"{{{ts}}}","type":"text","text":{"body":"first of three"}}""",
            $$$"""{"from":"{{{contact}}}","id":"wamid.batch.middle","timestamp":"soon","type":"text","text":{"body":"middle of three"}}""",
            $$$"""{"from":"{{{contact}}}","id":"wamid.batch.last","timestamp":"{{{ts + 1}}}","type":"location","location":{"latitude":12.9716,"longitude":77.5946,"name":"MG Road"}}""");

        var response = await WhatsAppMessageBody.PostAsync(_frontend, body, MetaAppFrontend.AppSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var conversation = await Eventually.Get(
            () => GetAsync(inbox.Owner, $"/api/v1/conversations/{inbox.ConversationIdOf(contact)}"),
            c => c.ValueKind == JsonValueKind.Object && c.GetProperty("messages").GetProperty("items").GetArrayLength() >= 2,
            TimeSpan.FromSeconds(30), "the two valid messages");
        Assert.Equal(["wamid.batch.last", "wamid.batch.first"],
            conversation.GetProperty("messages").GetProperty("items").EnumerateArray().Select(m => m.GetProperty("externalId").GetString()));

        var letters = await OwnerSql.QueryAsync(_frontend,
            "SELECT reason, payload->>'id' AS id, channel FROM webhook_dead_letters WHERE external_account_id = @account", ("account", inbox.PhoneNumberId));
        var letter = Assert.Single(letters);
        Assert.Equal("invalid item at entry[0].changes[0].value.messages[1]: timestamp is not a Unix time in seconds", letter["reason"]);
        Assert.Equal("wamid.batch.middle", letter["id"]);
        Assert.Equal("whatsapp", letter["channel"]);
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT 1 FROM messages WHERE external_id = 'wamid.batch.middle'"));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[""")]
    [InlineData("""{"object":"whatsapp_business_account"}""")]
    [InlineData("""{"object":"whatsapp_business_account","entry":{"id":"1"}}""")]
    [InlineData("""{"object":"user","entry":[]}""")]
    [InlineData("""["whatsapp_business_account"]""")]
    public async Task A_body_that_is_not_a_meta_webhook_is_still_400_and_leaves_no_dead_letter(string json)
    {
        var marker = $"not-a-webhook-{Guid.NewGuid():N}";
        var body = Encoding.UTF8.GetBytes(json.Replace("\"1\"", $"\"{marker}\"", StringComparison.Ordinal));

        var response = await WhatsAppMessageBody.PostAsync(_frontend, body, MetaAppFrontend.AppSecret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Malformed webhook", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT 1 FROM webhook_dead_letters WHERE payload::text LIKE @m", ("m", $"%{marker}%")));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_content_of_each_kind_with_typed_camel_case_fields()
    {
        var document = JsonDocument.Parse(await _frontend.Http.GetStringAsync("/openapi/v1.json")).RootElement;
        var schemas = document.GetProperty("components").GetProperty("schemas");

        HasProperties(schemas, "MessageContent", ["location", "contacts", "reaction", "order", "flowReply", "choice", "referral", "unsupported", "summary"]);
        Assert.Contains("content", Properties(schemas, "MessageView"));
        HasProperties(schemas, "LocationContent", ["latitude", "longitude", "name", "address", "mapUrl"]);
        HasProperties(schemas, "OrderItem", ["productRetailerId", "quantity", "unitPriceMinor", "currency"]);
        HasProperties(schemas, "ContactCard", ["formattedName", "company", "phones", "emails"]);
        HasProperties(schemas, "UnsupportedContent", ["type", "errorCode", "errorTitle"]);
        Assert.Contains("integer", schemas.GetProperty("OrderItem").GetProperty("properties").GetProperty("unitPriceMinor").GetRawText(), StringComparison.Ordinal);
    }

    private static List<string> Properties(JsonElement schemas, string name) =>
        [.. schemas.GetProperty(name).GetProperty("properties").EnumerateObject().Select(p => p.Name)];

    private static void HasProperties(JsonElement schemas, string name, string[] expected)
    {
        var actual = Properties(schemas, name);
        Assert.All(expected, property => Assert.Contains(property, actual));
    }

    /// <summary>A value by a path such as <c>order.items[1].unitPriceMinor</c>.</summary>
    private static JsonElement At(JsonElement element, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var name = part.Split('[')[0];
            element = element.GetProperty(name);
            foreach (var index in part.Split('[').Skip(1)) element = element[int.Parse(index.TrimEnd(']'), System.Globalization.CultureInfo.InvariantCulture)];
        }
        return element;
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static async Task<JsonElement> GetAsync(TestUser user, string url)
    {
        var response = await user.Http.GetAsync(url);
        return response.StatusCode == HttpStatusCode.NotFound ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
