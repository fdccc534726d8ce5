using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.Conversations;
using Flexoraa.Media;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Flexoraa.Tests.Media;

/// <summary>
/// Media fetches outlive their host: a retry scheduled before a restart is run by the next host's reminder, and media
/// left pending by a crash right after its message was stored is restarted when the conversation next activates.
/// Reminders here may tick every second (production's minimum is a minute).
/// </summary>
public sealed class MediaFetchRestartTests : IAsyncLifetime
{
    private const string DeploymentSecret = "deployment-app-secret";
    private const string PhoneNumberId = "106540352249001";

    private FakeGraphApi _graph = null!;
    private string _connectionString = null!;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "flexoraa-media-restart-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _connectionString = await TestPostgres.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await _graph.DisposeAsync();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    private Task<TestFrontend> StartHostAsync(TimeSpan retryDelay) =>
        TestFrontend.StartAsync(_connectionString, _dataDirectory, null,
            builder => builder.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1)),
            $"--Flexoraa:Meta:AppSecret={DeploymentSecret}",
            $"--Flexoraa:Meta:GraphApiBaseUrl={_graph.BaseUrl}",
            "--Flexoraa:Meta:GraphApiMaxRetries=0",
            "--Flexoraa:Media:ReminderPeriod=00:00:01",
            $"--Flexoraa:Media:RetryDelays:0={retryDelay}");

    [Fact]
    public async Task A_retry_scheduled_before_a_restart_is_run_by_the_next_hosts_reminder()
    {
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(3_000), "image/jpeg", PhoneNumberId).FailInfo(1, FakeGraphFailure.ServerError);
        string mediaObjectId;
        TestUser owner;
        // The in-memory timer would retry after 6 s; the first host is gone long before that.
        await using (var first = await StartHostAsync(TimeSpan.FromSeconds(6)))
        {
            owner = await TestUser.SignUpAsync(first);
            await ConnectAsync(owner);
            await PostAsync(first, ImageWebhook("wamid.restart", media.Id));
            mediaObjectId = MediaObjectIds.For(owner.TenantId, ChannelKind.WhatsApp, media.Id);
            await Eventually.Get(() => RowAsync(first, mediaObjectId), r => r is { } row && row["next_attempt_at"] is not null,
                TimeSpan.FromSeconds(30), "the first attempt to fail and schedule a retry");
        }
        Assert.Equal(1, media.InfoRequests);

        await using var second = await StartHostAsync(TimeSpan.FromSeconds(6));
        var stored = await Eventually.Get(() => RowAsync(second, mediaObjectId), r => r?["status"] is "stored", TimeSpan.FromSeconds(45), "the reminder to fetch the media");

        Assert.Equal(2, stored!["attempts"]);
        Assert.Equal(2, media.InfoRequests);
        Assert.Empty(await OwnerSql.QueryAsync(second, "SELECT 1 FROM orleansreminderstable WHERE remindername = @name", ("name", MediaFetchGrain.ReminderName)));
    }

    [Fact]
    public async Task Media_left_pending_by_a_crash_after_its_message_was_stored_is_fetched_when_the_conversation_next_activates()
    {
        var bytes = FakeGraphApi.JpegLike(2_500);
        var media = _graph.AddMedia(bytes, "image/jpeg", PhoneNumberId);
        await using var host = await StartHostAsync(TimeSpan.FromSeconds(1));
        var owner = await TestUser.SignUpAsync(host);
        var channelAccountId = await ConnectAsync(owner);
        // What a silo leaves behind when it dies between committing the message (with its media row) and starting the fetch.
        var conversationId = ConversationKeys.ConversationId(channelAccountId, "16315551181");
        var mediaObjectId = MediaObjectIds.For(owner.TenantId, ChannelKind.WhatsApp, media.Id);
        await OwnerSql.ExecuteAsync(host, """
            INSERT INTO media_objects (tenant_id, id, conversation_id, message_external_id, channel, channel_account_id, kind, external_media_id, mime_type)
            VALUES (@t, @id, @c, 'wamid.crashed', 'whatsapp', @a, 'image', @m, 'image/jpeg')
            """, ("t", owner.TenantId), ("id", mediaObjectId), ("c", conversationId), ("a", channelAccountId), ("m", media.Id));

        await PostAsync(host, WebhookIngressTests.TextMessage(PhoneNumberId, "wamid.after.crash", "16315551181"));

        await Eventually.Get(() => RowAsync(host, mediaObjectId), r => r?["status"] is "stored", TimeSpan.FromSeconds(30), "the pending media to be fetched");
        Assert.Equal(bytes, await owner.Http.GetByteArrayAsync($"/api/v1/media/{mediaObjectId}"));
    }

    private static byte[] ImageWebhook(string messageId, string mediaId) => Encoding.UTF8.GetBytes(
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"8856996819413533\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\"," +
        $"\"metadata\":{{\"display_phone_number\":\"16505553333\",\"phone_number_id\":\"{PhoneNumberId}\"}}," +
        "\"contacts\":[{\"profile\":{\"name\":\"Kerry Fisher\"},\"wa_id\":\"16315551181\"}]," +
        $"\"messages\":[{{\"from\":\"16315551181\",\"id\":\"{messageId}\",\"timestamp\":\"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\",\"type\":\"image\"," +
        $"\"image\":{{\"caption\":\"This is a caption\",\"mime_type\":\"image/jpeg\",\"id\":\"{mediaId}\"}}}}]}},\"field\":\"messages\"}}]}}]}}");

    private async Task<string> ConnectAsync(TestUser owner)
    {
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", new
        {
            channel = "whatsapp", phoneNumberId = PhoneNumberId, wabaId = "8856996819413533", accessToken = _graph.AccessToken,
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task PostAsync(TestFrontend host, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = content };
        request.Headers.Add(MetaWebhookSignature.HeaderName, new MetaWebhookSignature(DeploymentSecret).Compute(body));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(request)).StatusCode);
    }

    private static async Task<Dictionary<string, object?>?> RowAsync(TestFrontend host, string mediaObjectId) =>
        (await OwnerSql.QueryAsync(host, "SELECT status, attempts, next_attempt_at FROM media_objects WHERE id = @id", ("id", mediaObjectId))).SingleOrDefault();
}
