using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.Conversations;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Contacts;

/// <summary>
/// A tenant with a WhatsApp number, a Messenger page and an Instagram account, all connected with the fake Graph API's
/// token, fed real signed webhooks in the reference's shapes (B.1 Messenger, B.2 Instagram, A.3 WhatsApp).
/// </summary>
public sealed class ProfileTenant
{
    private static long _nextAccount = 107640352250000;
    private static long _nextUser = 24019858710000;

    private readonly TestFrontend _frontend;

    private ProfileTenant(TestFrontend frontend, TestUser owner, (string Id, string External) whatsApp, (string Id, string External) messenger, (string Id, string External) instagram)
    {
        _frontend = frontend;
        Owner = owner;
        (WhatsAppAccountId, PhoneNumberId) = whatsApp;
        (MessengerAccountId, PageId) = messenger;
        (InstagramAccountId, InstagramId) = instagram;
    }

    public TestUser Owner { get; }
    public string TenantId => Owner.TenantId;
    public string WhatsAppAccountId { get; }
    public string PhoneNumberId { get; }
    public string MessengerAccountId { get; }
    public string PageId { get; }
    public string InstagramAccountId { get; }
    public string InstagramId { get; }

    /// <summary>A fresh PSID or IGSID, numeric like Meta's.</summary>
    public static string NewUserId() => Interlocked.Increment(ref _nextUser).ToString(CultureInfo.InvariantCulture);

    public static async Task<ProfileTenant> CreateAsync(TestFrontend frontend, FakeGraphApi graph)
    {
        var owner = await (await TestUser.SignUpAsync(frontend, company: "Profile Traders")).OnPlanAsync(frontend, Flexoraa.Tenants.TenantPlan.Starter);
        string Next() => Interlocked.Increment(ref _nextAccount).ToString(CultureInfo.InvariantCulture);
        var (phone, page, instagram) = (Next(), Next(), Next());
        var whatsAppId = await ConnectAsync(owner, new { channel = "whatsapp", phoneNumberId = phone, wabaId = "8856996819413533", accessToken = graph.AccessToken });
        var messengerId = await ConnectAsync(owner, new { channel = "messenger", pageId = page, pageAccessToken = graph.AccessToken });
        var instagramId = await ConnectAsync(owner, new { channel = "instagram", instagramAccountId = instagram, accessToken = graph.AccessToken });
        return new ProfileTenant(frontend, owner, (whatsAppId, phone), (messengerId, page), (instagramId, instagram));
    }

    private static async Task<string> ConnectAsync(TestUser owner, object request)
    {
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"connecting a channel: {body}");
        return body.GetProperty("id").GetString()!;
    }

    public string MessengerConversation(string psid) => ConversationKeys.ConversationId(MessengerAccountId, psid);

    public string InstagramConversation(string igsid) => ConversationKeys.ConversationId(InstagramAccountId, igsid);

    public string WhatsAppConversation(string waId) => ConversationKeys.ConversationId(WhatsAppAccountId, waId);

    /// <summary>A Messenger text from <paramref name="psid"/> to the page (B.1); returns its mid once it is stored.</summary>
    public Task<string> CustomerWritesOnMessengerAsync(string psid, string text = "Is the blue one in stock?") =>
        MessagingAsync("messenger", "page", PageId, psid, text);

    /// <summary>An Instagram text from <paramref name="igsid"/> to the professional account (B.2); returns its mid once it is stored.</summary>
    public Task<string> CustomerWritesOnInstagramAsync(string igsid, string text = "Do you ship to Pune?") =>
        MessagingAsync("instagram", "instagram", InstagramId, igsid, text);

    /// <summary>A WhatsApp text whose <c>contacts[].profile.name</c> is <paramref name="profileName"/> (A.3); returns its wamid once it is stored.</summary>
    public async Task<string> CustomerWritesOnWhatsAppAsync(string waId, string profileName, string text = "Hello")
    {
        var wamid = "wamid." + Guid.NewGuid().ToString("N");
        var value = JsonSerializer.SerializeToNode(new
        {
            contacts = new[] { new { profile = new { name = profileName }, wa_id = waId } },
            messages = new[] { new { from = waId, id = wamid, timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), type = "text", text = new { body = text } } },
        })!.AsObject();
        value["messaging_product"] = "whatsapp";
        value["metadata"] = JsonSerializer.SerializeToNode(new { display_phone_number = "16505553333", phone_number_id = PhoneNumberId });
        await PostAsync("whatsapp", new { @object = "whatsapp_business_account", entry = new[] { new { id = "8856996819413533", changes = new[] { new { field = "messages", value } } } } });
        await WaitForMessageAsync(wamid);
        return wamid;
    }

    private async Task<string> MessagingAsync(string channel, string @object, string accountId, string senderId, string text)
    {
        var mid = "m_" + Guid.NewGuid().ToString("N");
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PostAsync(channel, new
        {
            @object,
            entry = new[]
            {
                new { id = accountId, time = at, messaging = new[] { new { sender = new { id = senderId }, recipient = new { id = accountId }, timestamp = at, message = new { mid, text } } } },
            },
        });
        await WaitForMessageAsync(mid);
        return mid;
    }

    /// <summary>The conversation as REST answers it (<c>GET /api/v1/conversations/{id}</c>'s <c>conversation</c>).</summary>
    public async Task<JsonElement> ConversationAsync(string conversationId) =>
        JsonDocument.Parse(await Owner.Http.GetStringAsync($"/api/v1/conversations/{conversationId}")).RootElement.GetProperty("conversation").Clone();

    /// <summary>The REST conversation's contact once <paramref name="done"/> holds for it.</summary>
    public Task<JsonElement> ContactWhenAsync(string conversationId, Func<JsonElement, bool> done, string what) =>
        Eventually.Get(async () => (await ConversationAsync(conversationId)).GetProperty("contact"), done, TimeSpan.FromSeconds(30), what);

    private Task PostAsync(string channel, object payload) => SignedWebhook.PostAsync(_frontend, channel, payload, MetaAppFrontend.AppSecret);

    private Task WaitForMessageAsync(string externalId) => SignedWebhook.WaitForMessageAsync(_frontend, TenantId, externalId);
}
