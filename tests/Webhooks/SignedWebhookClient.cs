using System.Net.Http.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.Tests.Infrastructure;
using Npgsql;

namespace Flexoraa.Tests.Webhooks;

/// <summary>Posts webhooks signed with an app secret to a test frontend, connects channel accounts, and reads its database.</summary>
internal sealed class SignedWebhookClient(TestFrontend frontend, string connectionString)
{
    public async Task<HttpResponseMessage> PostAsync(string channel, byte[] body, string appSecret)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{channel}") { Content = content };
        request.Headers.Add(MetaWebhookSignature.HeaderName, new MetaWebhookSignature(appSecret).Compute(body));
        return await frontend.Http.SendAsync(request);
    }

    /// <summary>Connects one account of each channel to <paramref name="owner"/>'s tenant, signed with <paramref name="appSecret"/>.</summary>
    public static async Task ConnectAsync(TestUser owner, string channel, string accountId, string appSecret)
    {
        object request = channel switch
        {
            "whatsapp" => new { channel, phoneNumberId = accountId, wabaId = "8856996819413533", accessToken = "EAAG-test-token-whatsapp", appSecret },
            "messenger" => new { channel, pageId = accountId, pageAccessToken = "EAAG-test-token-messenger", appSecret },
            _ => new { channel, instagramAccountId = accountId, accessToken = "EAAG-test-token-instagram", appSecret },
        };
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"connecting {channel} {accountId}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) => (long)(await ScalarAsync(sql, parameters))!;

    public async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = await command.ExecuteScalarAsync();
        return result is DBNull ? null : result;
    }
}
