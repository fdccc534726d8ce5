using System.Net;
using System.Net.Http.Json;
using System.Text;
using Flexoraa.Channels.Meta;
using Flexoraa.Tests.Channels;
using Flexoraa.Tests.Infrastructure;
using Npgsql;

namespace Flexoraa.Tests.Webhooks;

/// <summary>Meta webhooks over HTTP into the messages read model, on a frontend co-hosting a silo on PostgreSQL.</summary>
public sealed class WebhookIngressTests(WebhookIngressTests.Host host) : IClassFixture<WebhookIngressTests.Host>
{
    // The reference's signature test vector: this exact body signed with "test_app_secret".
    private const string VectorAppSecret = "test_app_secret";
    private const string VectorSignature = "sha256=f8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7";
    private const string DeploymentSecret = "deployment-app-secret";
    private const string DeploymentVerifyToken = "deployment-verify-token";

    private readonly string _connectionString = host.ConnectionString;
    private readonly TestFrontend _frontend = host.Frontend;

    /// <summary>One frontend for the class, configured with the deployment's own Meta app.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public string ConnectionString { get; private set; } = null!;
        public TestFrontend Frontend { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            ConnectionString = await TestPostgres.CreateDatabaseAsync();
            Frontend = await TestFrontend.StartAsync(ConnectionString, null, null,
                $"--Flexoraa:Meta:AppSecret={DeploymentSecret}", $"--Flexoraa:Meta:VerifyToken={DeploymentVerifyToken}");
        }

        public async Task DisposeAsync() => await Frontend.DisposeAsync();
    }

    [Fact]
    public async Task The_reference_payload_with_its_reference_signature_is_accepted_and_stored()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        await ConnectWhatsAppAsync(owner, "123456123", appSecret: VectorAppSecret);

        var response = await PostAsync("whatsapp", MetaFixtures.Bytes("whatsapp-signature-test-vector.json"), VectorSignature);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WaitForAsync($"SELECT count(*) FROM messages WHERE external_id = 'ABGGFlA5Fpa' AND tenant_id = '{owner.TenantId}'", 1);
        Assert.Equal("this is a text message", await ScalarAsync<string>("SELECT body FROM messages WHERE external_id = 'ABGGFlA5Fpa'"));
        Assert.Equal("test user name", await ScalarAsync<string>("SELECT contact_name FROM conversations WHERE contact_id = '16315551181'"));
    }

    [Fact]
    public async Task A_bad_or_missing_signature_is_401_and_nothing_is_stored()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        await ConnectWhatsAppAsync(owner, "555000111");
        var body = TextMessage("555000111", "wamid.unsigned", "919000011111");

        var bad = await PostAsync("whatsapp", body, "sha256=" + new string('0', 64));
        var missing = await PostAsync("whatsapp", body, null);
        var wrongSecret = await PostAsync("whatsapp", body, new MetaWebhookSignature("not-the-secret").Compute(body));

        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        await Task.Delay(1000);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE external_id = 'wamid.unsigned'"));
    }

    [Fact]
    public async Task The_verification_handshake_echoes_the_challenge_only_for_the_right_verify_token()
    {
        var ok = await _frontend.Http.GetAsync($"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={DeploymentVerifyToken}&hub.challenge=1158201444");
        var wrong = await _frontend.Http.GetAsync("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=meatyhamhock&hub.challenge=1158201444");
        var noMode = await _frontend.Http.GetAsync($"/webhooks/messenger?hub.verify_token={DeploymentVerifyToken}&hub.challenge=1");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noMode.StatusCode);
    }

    [Fact]
    public async Task An_event_for_an_account_no_tenant_owns_is_answered_200_and_kept_as_a_dead_letter()
    {
        var body = TextMessage("999999999999", "wamid.orphan", "919000022222");

        var response = await PostAsync("whatsapp", body, new MetaWebhookSignature(DeploymentSecret).Compute(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no tenant owns this account",
            await ScalarAsync<string>("SELECT reason FROM webhook_dead_letters WHERE external_account_id = '999999999999'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE external_id = 'wamid.orphan'"));
    }

    [Theory]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":\"not an array\"}")]
    [InlineData("not json at all")]
    public async Task A_correctly_signed_but_malformed_body_is_a_400_naming_the_problem(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        var response = await PostAsync("whatsapp", body, new MetaWebhookSignature(DeploymentSecret).Compute(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_same_webhook_delivered_three_times_is_one_message()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        await ConnectWhatsAppAsync(owner, "555000333");
        var body = TextMessage("555000333", "wamid.thrice", "919000033333");
        var signature = new MetaWebhookSignature(DeploymentSecret).Compute(body);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await PostAsync("whatsapp", body, signature)).StatusCode);

        await WaitForAsync("SELECT count(*) FROM messages WHERE external_id = 'wamid.thrice'", 1);
        await Task.Delay(500);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE external_id = 'wamid.thrice'"));
    }

    [Fact]
    public async Task Fifty_concurrent_deliveries_of_the_same_webhook_store_one_message()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        await ConnectWhatsAppAsync(owner, "555000777");
        var body = TextMessage("555000777", "wamid.fifty.http", "919000077777");
        var signature = new MetaWebhookSignature(DeploymentSecret).Compute(body);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => PostAsync("whatsapp", body, signature)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await WaitForAsync("SELECT count(*) FROM messages WHERE external_id = 'wamid.fifty.http'", 1);
        await Task.Delay(1000);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE external_id = 'wamid.fifty.http'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT unread_count::bigint FROM conversations WHERE contact_id = '919000077777'"));
    }

    [Fact]
    public async Task Two_tenants_with_their_own_accounts_each_get_only_their_own_messages()
    {
        var a = await TestUser.SignUpAsync(_frontend, company: "Tenant A");
        var b = await TestUser.SignUpAsync(_frontend, company: "Tenant B");
        await ConnectWhatsAppAsync(a, "555000444");
        await ConnectWhatsAppAsync(b, "555000555");

        var toA = TextMessage("555000444", "wamid.for.a", "919000044444");
        var toB = TextMessage("555000555", "wamid.for.b", "919000044444");
        await PostAsync("whatsapp", toA, new MetaWebhookSignature(DeploymentSecret).Compute(toA));
        await PostAsync("whatsapp", toB, new MetaWebhookSignature(DeploymentSecret).Compute(toB));

        await WaitForAsync($"SELECT count(*) FROM messages WHERE tenant_id = '{a.TenantId}'", 1);
        await WaitForAsync($"SELECT count(*) FROM messages WHERE tenant_id = '{b.TenantId}'", 1);
        Assert.Equal("wamid.for.a", await ScalarAsync<string>($"SELECT string_agg(external_id, ',') FROM messages WHERE tenant_id = '{a.TenantId}'"));
        Assert.Equal("wamid.for.b", await ScalarAsync<string>($"SELECT string_agg(external_id, ',') FROM messages WHERE tenant_id = '{b.TenantId}'"));
    }

    [Fact]
    public async Task An_account_with_its_own_meta_app_rejects_events_signed_by_the_deployment_app()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        await ConnectWhatsAppAsync(owner, "555000666", appSecret: "tenants-own-app-secret");
        var body = TextMessage("555000666", "wamid.crossapp", "919000066666");

        var response = await PostAsync("whatsapp", body, new MetaWebhookSignature(DeploymentSecret).Compute(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("signed by a different Meta app than the account's",
            await ScalarAsync<string>("SELECT reason FROM webhook_dead_letters WHERE external_account_id = '555000666'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE external_id = 'wamid.crossapp'"));
    }

    public static byte[] TextMessage(string phoneNumberId, string messageId, string from) => Encoding.UTF8.GetBytes(
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"8856996819413533\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\"," +
        $"\"metadata\":{{\"display_phone_number\":\"16505553333\",\"phone_number_id\":\"{phoneNumberId}\"}}," +
        $"\"contacts\":[{{\"profile\":{{\"name\":\"Kerry Fisher\"}},\"wa_id\":\"{from}\"}}]," +
        $"\"messages\":[{{\"from\":\"{from}\",\"id\":\"{messageId}\",\"timestamp\":\"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\",\"type\":\"text\",\"text\":{{\"body\":\"Hello from {from}\"}}}}]}},\"field\":\"messages\"}}]}}]}}");

    private static async Task ConnectWhatsAppAsync(TestUser owner, string phoneNumberId, string? appSecret = null)
    {
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", new
        {
            channel = "whatsapp", phoneNumberId, wabaId = "8856996819413533", accessToken = "EAAG-test-token", appSecret,
        });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"connecting {phoneNumberId}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<HttpResponseMessage> PostAsync(string channel, byte[] body, string? signature)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{channel}") { Content = content };
        if (signature is not null) request.Headers.Add(MetaWebhookSignature.HeaderName, signature);
        return await _frontend.Http.SendAsync(request);
    }

    private async Task WaitForAsync(string countSql, long atLeast) =>
        await Eventually.Get(() => ScalarAsync<long>(countSql), c => c >= atLeast, TimeSpan.FromSeconds(30), countSql);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
