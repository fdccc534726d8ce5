using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.Conversations;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Replies;

/// <summary>
/// A signed-up tenant with a WhatsApp number and a Messenger page connected with the fake Graph API's token, fed real
/// signed webhooks: customers' messages (with the timestamps a test needs, to open or age the windows), WhatsApp
/// statuses and Messenger echoes.
/// </summary>
public sealed class ReplyTenant
{
    private static long _nextAccount = 106540352250000;

    private readonly TestFrontend _frontend;

    private ReplyTenant(TestFrontend frontend, TestUser owner, string whatsAppAccountId, string phoneNumberId, string messengerAccountId, string pageId)
    {
        _frontend = frontend;
        Owner = owner;
        WhatsAppAccountId = whatsAppAccountId;
        PhoneNumberId = phoneNumberId;
        MessengerAccountId = messengerAccountId;
        PageId = pageId;
    }

    public TestUser Owner { get; }
    public string TenantId => Owner.TenantId;
    public string WhatsAppAccountId { get; }
    public string PhoneNumberId { get; }
    public string MessengerAccountId { get; }
    public string PageId { get; }

    public static async Task<ReplyTenant> CreateAsync(TestFrontend frontend, FakeGraphApi graph, string? accessToken = null)
    {
        // A WhatsApp number and a Messenger page: two accounts, more than Trial allows.
        var owner = await (await TestUser.SignUpAsync(frontend, company: "Reply Traders")).OnPlanAsync(frontend, Flexoraa.Tenants.TenantPlan.Starter);
        var phoneNumberId = Interlocked.Increment(ref _nextAccount).ToString(CultureInfo.InvariantCulture);
        var pageId = Interlocked.Increment(ref _nextAccount).ToString(CultureInfo.InvariantCulture);
        var token = accessToken ?? graph.AccessToken;
        var whatsApp = await ConnectAsync(owner, new { channel = "whatsapp", phoneNumberId, wabaId = "8856996819413533", accessToken = token });
        var messenger = await ConnectAsync(owner, new { channel = "messenger", pageId, pageAccessToken = token });
        return new ReplyTenant(frontend, owner, whatsApp, phoneNumberId, messenger, pageId);
    }

    private static async Task<string> ConnectAsync(TestUser owner, object request)
    {
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"connecting a channel: {body}");
        return body.GetProperty("id").GetString()!;
    }

    public string WhatsAppConversation(string contact) => ConversationKeys.ConversationId(WhatsAppAccountId, contact);

    public string MessengerConversation(string psid) => ConversationKeys.ConversationId(MessengerAccountId, psid);

    /// <summary>A customer's WhatsApp text at <paramref name="at"/>; returns its wamid once the message is stored.</summary>
    public async Task<string> CustomerWritesOnWhatsAppAsync(string contact, DateTimeOffset at, string text = "Do you ship to Pune?")
    {
        var wamid = "wamid." + Guid.NewGuid().ToString("N");
        await PostAsync("whatsapp", WhatsAppValue(new
        {
            contacts = new[] { new { profile = new { name = "Kerry Fisher" }, wa_id = contact } },
            messages = new[] { new { from = contact, id = wamid, timestamp = Seconds(at), type = "text", text = new { body = text } } },
        }));
        await WaitForMessageAsync(wamid);
        return wamid;
    }

    /// <summary>A WhatsApp text from a customer who hides their number: Meta names them only by their BSUID.</summary>
    public async Task<string> CustomerWithHiddenNumberWritesOnWhatsAppAsync(string bsuid, DateTimeOffset at, string text = "Do you ship to Goa?")
    {
        var wamid = "wamid." + Guid.NewGuid().ToString("N");
        await PostAsync("whatsapp", WhatsAppValue(new
        {
            contacts = new[] { new { profile = new { name = "Sheena", username = "@sheena" }, user_id = bsuid } },
            messages = new[] { new { from_user_id = bsuid, id = wamid, timestamp = Seconds(at), type = "text", text = new { body = text } } },
        }));
        await WaitForMessageAsync(wamid);
        return wamid;
    }

    /// <summary>A WhatsApp status webhook for a message we sent, as in the reference (Example C / D).</summary>
    public Task StatusAsync(string contact, string wamid, string status, DateTimeOffset at, object[]? errors = null) =>
        PostAsync("whatsapp", WhatsAppValue(new
        {
            statuses = new[]
            {
                errors is null
                    ? (object)new { id = wamid, status, timestamp = Seconds(at), recipient_id = contact }
                    : new { id = wamid, status, timestamp = Seconds(at), recipient_id = contact, errors },
            },
        }));

    public async Task<string> CustomerWritesOnMessengerAsync(string psid, DateTimeOffset at, string text = "Is the blue one in stock?")
    {
        var mid = "m_" + Guid.NewGuid().ToString("N");
        await PostAsync("messenger", new
        {
            @object = "page",
            entry = new[]
            {
                new
                {
                    id = PageId, time = at.ToUnixTimeMilliseconds(),
                    messaging = new[] { new { sender = new { id = psid }, recipient = new { id = PageId }, timestamp = at.ToUnixTimeMilliseconds(), message = new { mid, text } } },
                },
            },
        });
        await WaitForMessageAsync(mid);
        return mid;
    }

    /// <summary>Messenger's echo of a message the page sent (B.1), with the metadata the sender attached.</summary>
    public Task EchoOnMessengerAsync(string psid, string mid, string text, string? metadata, DateTimeOffset at) =>
        PostAsync("messenger", new
        {
            @object = "page",
            entry = new[]
            {
                new
                {
                    id = PageId, time = at.ToUnixTimeMilliseconds(),
                    messaging = new[]
                    {
                        new
                        {
                            sender = new { id = PageId }, recipient = new { id = psid }, timestamp = at.ToUnixTimeMilliseconds(),
                            message = new { is_echo = true, app_id = 1517776481860111, metadata, mid, text },
                        },
                    },
                },
            },
        });

    private object WhatsAppValue(object value)
    {
        var node = JsonSerializer.SerializeToNode(value)!.AsObject();
        node["messaging_product"] = "whatsapp";
        node["metadata"] = JsonSerializer.SerializeToNode(new { display_phone_number = "16505553333", phone_number_id = PhoneNumberId });
        return new { @object = "whatsapp_business_account", entry = new[] { new { id = "8856996819413533", changes = new[] { new { field = "messages", value = node } } } } };
    }

    private Task PostAsync(string channel, object payload) => SignedWebhook.PostAsync(_frontend, channel, payload, MetaAppFrontend.AppSecret);

    private Task WaitForMessageAsync(string externalId) => SignedWebhook.WaitForMessageAsync(_frontend, TenantId, externalId);

    private static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
