using System.Net.Http.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Webhooks;

namespace Flexoraa.Tests.Realtime;

/// <summary>A tenant's WhatsApp number connected with the deployment's Meta app, and signed webhooks into it.</summary>
public sealed record WhatsAppTestChannel(TestFrontend Frontend, string AppSecret, string PhoneNumberId)
{
    public static async Task<WhatsAppTestChannel> ConnectAsync(TestFrontend frontend, TestUser owner, string appSecret)
    {
        var phoneNumberId = Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", new { channel = "whatsapp", phoneNumberId, wabaId = "8856996819413533", accessToken = "EAAG-test-token" });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"connecting {phoneNumberId}: {await response.Content.ReadAsStringAsync()}");
        return new WhatsAppTestChannel(frontend, appSecret, phoneNumberId);
    }

    /// <summary>Posts a signed text message from <paramref name="from"/>; Meta's 200 means the event is durably queued.</summary>
    public async Task ReceiveTextAsync(string messageId, string from = "919000011111", TestFrontend? via = null)
    {
        var body = WebhookIngressTests.TextMessage(PhoneNumberId, messageId, from);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = content };
        request.Headers.Add(MetaWebhookSignature.HeaderName, new MetaWebhookSignature(AppSecret).Compute(body));
        var response = await (via ?? Frontend).Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
