using System.Text;
using Flexoraa.Channels.Meta;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Webhooks;

/// <summary>WhatsApp message objects (Meta's shapes, verbatim) wrapped in the envelope of the reference's Example A, and posted signed.</summary>
internal static class WhatsAppMessageBody
{
    /// <summary>The envelope for <paramref name="phoneNumberId"/>, with a profile name for <paramref name="contact"/> and the given message objects.</summary>
    public static byte[] Of(string phoneNumberId, string contact, params string[] messages) => Encoding.UTF8.GetBytes(
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"8856996819413533\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\"," +
        $"\"metadata\":{{\"display_phone_number\":\"16505553333\",\"phone_number_id\":\"{phoneNumberId}\"}}," +
        $"\"contacts\":[{{\"profile\":{{\"name\":\"Kerry Fisher\"}},\"wa_id\":\"{contact}\"}}]," +
        $"\"messages\":[{string.Join(",", messages)}]}},\"field\":\"messages\"}}]}}]}}");

    public static async Task<HttpResponseMessage> PostAsync(TestFrontend frontend, byte[] body, string appSecret)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = content };
        request.Headers.Add(MetaWebhookSignature.HeaderName, new MetaWebhookSignature(appSecret).Compute(body));
        return await frontend.Http.SendAsync(request);
    }
}
