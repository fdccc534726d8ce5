using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.Conversations;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Inbox;

/// <summary>
/// A signed-up tenant with one connected WhatsApp number, fed real signed Meta webhooks so its inbox fills the way
/// production's does (webhook → stream → ConversationGrain → read models).
/// </summary>
public sealed class InboxTenant
{
    private readonly TestFrontend _frontend;
    private long _sent;

    private InboxTenant(TestFrontend frontend, TestUser owner, string channelAccountId, string phoneNumberId)
    {
        _frontend = frontend;
        Owner = owner;
        ChannelAccountId = channelAccountId;
        PhoneNumberId = phoneNumberId;
    }

    public TestUser Owner { get; }
    public string ChannelAccountId { get; }
    public string PhoneNumberId { get; }
    public string TenantId => Owner.TenantId;

    public static async Task<InboxTenant> CreateAsync(TestFrontend frontend, string company = "Inbox Traders")
    {
        var owner = await TestUser.SignUpAsync(frontend, company: company);
        var phoneNumberId = Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", new
        {
            channel = "whatsapp", phoneNumberId, wabaId = "8856996819413533", accessToken = "EAAG-inbox-test-token",
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"connecting {phoneNumberId}: {body}");
        return new InboxTenant(frontend, owner, body.GetProperty("id").GetString()!, phoneNumberId);
    }

    public string ConversationIdOf(string contact) => ConversationKeys.ConversationId(ChannelAccountId, contact);

    /// <summary>Posts one signed inbound text message; call <see cref="WaitForMessagesAsync"/> before reading.</summary>
    public async Task SendAsync(string contact, string text, DateTimeOffset at, string? name = "Kerry Fisher", string? messageId = null)
    {
        _sent++;
        var payload = new
        {
            @object = "whatsapp_business_account",
            entry = new[]
            {
                new
                {
                    id = "8856996819413533",
                    changes = new[]
                    {
                        new
                        {
                            field = "messages",
                            value = new
                            {
                                messaging_product = "whatsapp",
                                metadata = new { display_phone_number = "16505553333", phone_number_id = PhoneNumberId },
                                contacts = new[] { new { profile = new { name }, wa_id = contact } },
                                messages = new[]
                                {
                                    new
                                    {
                                        from = contact,
                                        id = messageId ?? $"wamid.{Guid.NewGuid():N}",
                                        timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                                        type = "text",
                                        text = new { body = text },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        };
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(payload));
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = content };
        request.Headers.Add(MetaWebhookSignature.HeaderName, new MetaWebhookSignature(MetaAppFrontend.AppSecret).Compute(bytes));
        using var response = await _frontend.Http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"webhook answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Waits until every message sent so far is stored (its conversation row is written in the same statement).</summary>
    public async Task WaitForMessagesAsync()
    {
        var expected = _sent;
        await Eventually.Get(async () =>
        {
            var rows = await OwnerSql.QueryAsync(_frontend, "SELECT count(*) AS n FROM messages WHERE tenant_id = @t", ("t", TenantId));
            return (long)rows[0]["n"]!;
        }, n => n >= expected, TimeSpan.FromSeconds(30), $"{expected} stored messages for {TenantId}");
    }

    /// <summary>Sets what the workflow API will set once it exists, as the database owner.</summary>
    public Task<int> UpdateAsync(string contact, string assignments, params (string Name, object Value)[] parameters) =>
        OwnerSql.ExecuteAsync(_frontend, $"UPDATE conversations SET {assignments} WHERE tenant_id = @tenant AND id = @id",
            [.. parameters, ("tenant", TenantId), ("id", ConversationIdOf(contact))]);
}
