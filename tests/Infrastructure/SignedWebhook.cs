using System.Text;
using System.Text.Json;
using Flexoraa.Channels.Meta;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>Posts a Meta webhook signed as Meta signs it, and waits for an event's message to be stored.</summary>
public static class SignedWebhook
{
    /// <exception cref="InvalidOperationException">The webhook was not answered 2xx.</exception>
    public static async Task PostAsync(TestFrontend frontend, string channel, object payload, string appSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(payload));
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{channel}") { Content = content };
        request.Headers.Add(MetaWebhookSignature.HeaderName, new MetaWebhookSignature(appSecret).Compute(bytes));
        using var response = await frontend.Http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"webhook answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Until the tenant's message with <paramref name="externalId"/> is in the read model (30 s at most).</summary>
    public static async Task WaitForMessageAsync(TestFrontend frontend, string tenantId, string externalId) =>
        await Eventually.Get(async () =>
        {
            var rows = await OwnerSql.QueryAsync(frontend, "SELECT count(*) AS n FROM messages WHERE tenant_id = @t AND external_id = @e", ("t", tenantId), ("e", externalId));
            return (long)rows[0]["n"]!;
        }, n => n == 1, TimeSpan.FromSeconds(30), $"message {externalId} stored");
}
