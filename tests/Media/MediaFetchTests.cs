using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.Media;
using Flexoraa.Tests.Channels;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Media;

/// <summary>
/// Inbound media end to end: a signed webhook with an attachment → the message is stored → MediaFetchGrain fetches the
/// bytes from the fake Graph API (with its failures) → <c>GET /api/v1/media/{id}</c> serves them to the tenant only.
/// </summary>
public sealed class MediaFetchTests(MediaFetchTests.Host host) : IClassFixture<MediaFetchTests.Host>
{
    private const string DeploymentSecret = "deployment-app-secret";
    private const string ReferenceMediaId = "2754859441498128";
    private const long MaxBytes = 1024 * 1024;

    private static long _nextAccountId = 106540352240000;

    private readonly TestFrontend _frontend = host.Frontend;
    private readonly FakeGraphApi _graph = host.Graph;

    /// <summary>One frontend with the deployment's Meta app, pointed at the fake Graph API, with short retries and a 1 MiB cap.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public FakeGraphApi Graph { get; private set; } = null!;
        public TestFrontend Frontend { get; private set; } = null!;
        public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "flexoraa-media-tests-" + Guid.NewGuid().ToString("N"));

        public async Task InitializeAsync()
        {
            Graph = await FakeGraphApi.StartAsync();
            Frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), DataDirectory, null,
                $"--Flexoraa:Meta:AppSecret={DeploymentSecret}",
                $"--Flexoraa:Meta:GraphApiBaseUrl={Graph.BaseUrl}",
                $"--Flexoraa:Meta:GraphApiVersion={FakeGraphApi.Version}",
                "--Flexoraa:Meta:GraphApiMaxRetries=1",
                "--Flexoraa:Meta:GraphApiRetryBaseDelay=00:00:00.020",
                $"--Flexoraa:Media:MaxBytes={MaxBytes}",
                "--Flexoraa:Media:MaxAttempts=3",
                "--Flexoraa:Media:RetryDelays:0=00:00:00.300",
                "--Flexoraa:Media:AllowedUrlHosts:0=127.0.0.1",
                "--Flexoraa:Media:AllowInsecureUrls=true");
        }

        public async Task DisposeAsync()
        {
            await Frontend.DisposeAsync();
            await Graph.DisposeAsync();
            if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_whatsapp_image_from_the_reference_webhook_is_fetched_with_the_accounts_token_and_served_with_its_content_type()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner);
        var bytes = FakeGraphApi.JpegLike(200_000);
        var media = _graph.AddMedia(bytes, "image/jpeg", phoneNumberId, id: ReferenceMediaId);

        var response = await PostAsync("whatsapp", ReferenceImageWebhook(phoneNumberId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mediaObjectId = await MediaObjectIdOfAsync(owner, "wamid.id");
        Assert.Equal(MediaObjectIds.For(owner.TenantId, ChannelKind.WhatsApp, ReferenceMediaId), mediaObjectId);
        var info = await WaitUntilSettledAsync(owner, mediaObjectId);
        Assert.Equal("stored", info.GetProperty("status").GetString());
        Assert.Equal(media.Sha256Hex, info.GetProperty("sha256").GetString());
        Assert.Equal(200_000, info.GetProperty("sizeBytes").GetInt64());
        Assert.Equal("image", info.GetProperty("kind").GetString());

        var served = await owner.Http.GetAsync($"/api/v1/media/{mediaObjectId}");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        Assert.Null(served.Content.Headers.ContentDisposition);
        Assert.Equal(bytes, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal(phoneNumberId, media.LastPhoneNumberIdQuery);
        Assert.Equal("Bearer " + _graph.AccessToken, media.LastDownloadAuthorization);
        Assert.True(File.Exists(Path.Combine(host.DataDirectory, "media", owner.TenantId, mediaObjectId)));
    }

    [Fact]
    public async Task The_message_is_stored_at_once_while_its_media_is_still_being_fetched_and_the_media_answers_409_until_then()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner);
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(5_000), "image/jpeg", phoneNumberId);
        media.InfoGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await PostAsync("whatsapp", ImageWebhook(phoneNumberId, "wamid.gated", media.Id));

        var mediaObjectId = await MediaObjectIdOfAsync(owner, "wamid.gated");
        var pending = await owner.Http.GetAsync($"/api/v1/media/{mediaObjectId}");
        Assert.Equal(HttpStatusCode.Conflict, pending.StatusCode);
        Assert.Equal("pending", (await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.NotNull(pending.Headers.RetryAfter);

        media.InfoGate.SetResult();
        Assert.Equal("stored", (await WaitUntilSettledAsync(owner, mediaObjectId)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync($"/api/v1/media/{mediaObjectId}")).StatusCode);
    }

    [Theory]
    [InlineData(FakeGraphFailure.ServerError)]
    [InlineData(FakeGraphFailure.RateLimit)]
    public async Task Two_transient_failures_then_success_end_stored_on_a_later_attempt(FakeGraphFailure failure)
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner);
        var bytes = FakeGraphApi.JpegLike(10_000);
        // One call tries twice (GraphApiMaxRetries=1), so two failures use up the first attempt and the grain retries.
        var media = _graph.AddMedia(bytes, "image/jpeg", phoneNumberId).FailInfo(2, failure);

        await PostAsync("whatsapp", ImageWebhook(phoneNumberId, $"wamid.transient.{failure}", media.Id));

        var mediaObjectId = await MediaObjectIdOfAsync(owner, $"wamid.transient.{failure}");
        var info = await WaitUntilSettledAsync(owner, mediaObjectId);
        Assert.Equal("stored", info.GetProperty("status").GetString());
        Assert.Equal(2, info.GetProperty("attempts").GetInt32());
        Assert.Equal(3, media.InfoRequests);
        Assert.Equal(bytes, await owner.Http.GetByteArrayAsync($"/api/v1/media/{mediaObjectId}"));
    }

    [Fact]
    public async Task A_fetch_that_keeps_failing_ends_failed_after_the_configured_attempts_and_is_not_served()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner);
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(1_000), "image/jpeg", phoneNumberId).FailInfo(1000, FakeGraphFailure.RateLimit);

        await PostAsync("whatsapp", ImageWebhook(phoneNumberId, "wamid.hopeless", media.Id));

        var mediaObjectId = await MediaObjectIdOfAsync(owner, "wamid.hopeless");
        var info = await WaitUntilSettledAsync(owner, mediaObjectId);
        Assert.Equal("failed", info.GetProperty("status").GetString());
        Assert.Equal(3, info.GetProperty("attempts").GetInt32());
        Assert.StartsWith("Gave up after 3 attempts: Graph API error 130429", info.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, media.InfoRequests);
        var served = await owner.Http.GetAsync($"/api/v1/media/{mediaObjectId}");
        Assert.Equal(HttpStatusCode.Conflict, served.StatusCode);
        Assert.Equal("failed", (await served.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bytes_that_do_not_match_metas_sha256_are_rejected_with_the_reason_and_never_served()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner);
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(4_000), "image/jpeg", phoneNumberId);
        media.AnnouncedSha256 = Convert.ToHexStringLower(new byte[32]);

        await PostAsync("whatsapp", ImageWebhook(phoneNumberId, "wamid.tampered", media.Id));

        var mediaObjectId = await MediaObjectIdOfAsync(owner, "wamid.tampered");
        var info = await WaitUntilSettledAsync(owner, mediaObjectId);
        Assert.Equal("rejected", info.GetProperty("status").GetString());
        Assert.Contains("Checksum mismatch", info.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, info.GetProperty("attempts").GetInt32());
        var served = await owner.Http.GetAsync($"/api/v1/media/{mediaObjectId}");
        Assert.Equal(HttpStatusCode.Conflict, served.StatusCode);
        Assert.Contains("Checksum mismatch", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(host.DataDirectory, "media", owner.TenantId, mediaObjectId)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Media_over_the_size_limit_is_rejected_whether_meta_announces_its_size_or_not(bool announcedSmall)
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner);
        var media = _graph.AddMedia(FakeGraphApi.JpegLike((int)MaxBytes + 300_000), "image/jpeg", phoneNumberId);
        if (announcedSmall)
        {
            media.AnnouncedFileSize = 1_000;
            media.OmitContentLength = true;
        }

        await PostAsync("whatsapp", ImageWebhook(phoneNumberId, $"wamid.huge.{announcedSmall}", media.Id));

        var mediaObjectId = await MediaObjectIdOfAsync(owner, $"wamid.huge.{announcedSmall}");
        var info = await WaitUntilSettledAsync(owner, mediaObjectId);
        Assert.Equal("rejected", info.GetProperty("status").GetString());
        Assert.Contains($"over the limit of {MaxBytes}", info.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        // Announced: refused from the info alone, nothing downloaded.
        Assert.Equal(announcedSmall ? 1 : 0, media.DownloadRequests);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.Http.GetAsync($"/api/v1/media/{mediaObjectId}")).StatusCode);
    }

    [Fact]
    public async Task A_media_type_that_is_not_allowed_is_rejected_without_downloading_it()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner);
        var media = _graph.AddMedia("MZ"u8.ToArray(), "application/x-msdownload", phoneNumberId);

        await PostAsync("whatsapp", DocumentWebhook(phoneNumberId, "wamid.exe", media.Id, "application/x-msdownload", "setup.exe"));

        var info = await WaitUntilSettledAsync(owner, await MediaObjectIdOfAsync(owner, "wamid.exe"));
        Assert.Equal("rejected", info.GetProperty("status").GetString());
        Assert.Contains("application/x-msdownload is not allowed", info.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, media.DownloadRequests);
    }

    [Fact]
    public async Task A_token_meta_refuses_fails_at_once_with_code_190_and_is_not_retried()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner, accessToken: "EAAG-revoked-token-000000000001");
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(1_000), "image/jpeg", phoneNumberId);

        await PostAsync("whatsapp", ImageWebhook(phoneNumberId, "wamid.badtoken", media.Id));

        var info = await WaitUntilSettledAsync(owner, await MediaObjectIdOfAsync(owner, "wamid.badtoken"));
        Assert.Equal("failed", info.GetProperty("status").GetString());
        Assert.Equal(1, info.GetProperty("attempts").GetInt32());
        Assert.StartsWith("Graph API error 190 (OAuthException): Invalid OAuth access token", info.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_media_id_meta_does_not_know_fails_with_code_100()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner);

        await PostAsync("whatsapp", ImageWebhook(phoneNumberId, "wamid.unknownmedia", "1999999999999999"));

        var info = await WaitUntilSettledAsync(owner, await MediaObjectIdOfAsync(owner, "wamid.unknownmedia"));
        Assert.Equal("failed", info.GetProperty("status").GetString());
        Assert.StartsWith("Graph API error 100 (GraphMethodException)", info.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_is_served_as_a_download_with_the_senders_file_name()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% a tiny invoice\n%%EOF\n");
        var media = _graph.AddMedia(pdf, "application/pdf", phoneNumberId);

        await PostAsync("whatsapp", DocumentWebhook(phoneNumberId, "wamid.invoice", media.Id, "application/pdf", "Invoice März.pdf"));

        var mediaObjectId = await MediaObjectIdOfAsync(owner, "wamid.invoice");
        Assert.Equal("stored", (await WaitUntilSettledAsync(owner, mediaObjectId)).GetProperty("status").GetString());
        var served = await owner.Http.GetAsync($"/api/v1/media/{mediaObjectId}");
        Assert.Equal("application/pdf", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", served.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Invoice März.pdf", served.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(pdf, await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_same_webhook_delivered_three_times_fetches_its_media_once()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var phoneNumberId = await ConnectWhatsAppAsync(owner);
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(2_000), "image/jpeg", phoneNumberId);
        var body = ImageWebhook(phoneNumberId, "wamid.redelivered", media.Id);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await PostAsync("whatsapp", body)).StatusCode);

        var mediaObjectId = await MediaObjectIdOfAsync(owner, "wamid.redelivered");
        Assert.Equal("stored", (await WaitUntilSettledAsync(owner, mediaObjectId)).GetProperty("status").GetString());
        await Task.Delay(500);
        Assert.Equal(1, media.InfoRequests);
        Assert.Equal(1, media.DownloadRequests);
        Assert.Equal(1L, (await OwnerSql.QueryAsync(_frontend, "SELECT count(*) AS n FROM media_objects WHERE tenant_id = @t", ("t", owner.TenantId)))[0]["n"]);
    }

    [Fact]
    public async Task Another_tenant_gets_404_for_the_media_and_its_info()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var stranger = await TestUser.SignUpAsync(_frontend, company: "Someone Else");
        var phoneNumberId = await ConnectWhatsAppAsync(owner);
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(2_000), "image/jpeg", phoneNumberId);
        await PostAsync("whatsapp", ImageWebhook(phoneNumberId, "wamid.private", media.Id));
        var mediaObjectId = await MediaObjectIdOfAsync(owner, "wamid.private");
        await WaitUntilSettledAsync(owner, mediaObjectId);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/v1/media/{mediaObjectId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/v1/media/{mediaObjectId}/info")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync("/api/v1/media/md_doesnotexist")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _frontend.Http.GetAsync($"/api/v1/media/{mediaObjectId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync($"/api/v1/media/{mediaObjectId}")).StatusCode);
    }

    [Theory]
    [InlineData("messenger")]
    [InlineData("instagram")]
    public async Task A_messenger_or_instagram_attachment_url_is_fetched_without_sending_a_token(string channel)
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var accountId = await ConnectAsync(owner, channel);
        var bytes = FakeGraphApi.JpegLike(30_000);
        var file = _graph.AddCdnFile(bytes, "image/png");
        var url = _graph.CdnUrl(file);

        await PostAsync(channel, AttachmentWebhook(channel, accountId, url));

        var kind = channel == "messenger" ? ChannelKind.Messenger : ChannelKind.Instagram;
        var mediaObjectId = MediaObjectIds.For(owner.TenantId, kind, url);
        Assert.Equal(mediaObjectId, await MediaObjectIdOfAsync(owner, "mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c"));
        Assert.Equal("stored", (await WaitUntilSettledAsync(owner, mediaObjectId)).GetProperty("status").GetString());
        var served = await owner.Http.GetAsync($"/api/v1/media/{mediaObjectId}");
        // The CDN called the JPEG bytes image/png; an image either way, so it is shown inline, typed as its bytes are.
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        Assert.Null(served.Content.Headers.ContentDisposition);
        Assert.Equal(bytes, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("", file.LastDownloadAuthorization);
    }

    [Fact]
    public async Task An_attachment_url_off_the_allowed_hosts_is_rejected_without_being_fetched()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var pageId = await ConnectAsync(owner, "messenger");
        var file = _graph.AddCdnFile(FakeGraphApi.JpegLike(100), "image/jpeg");
        var url = _graph.CdnUrl(file).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        await PostAsync("messenger", AttachmentWebhook("messenger", pageId, url));

        var info = await WaitUntilSettledAsync(owner, MediaObjectIds.For(owner.TenantId, ChannelKind.Messenger, url));
        Assert.Equal("rejected", info.GetProperty("status").GetString());
        Assert.Contains("host localhost is not one of Meta's", info.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, file.DownloadRequests);
    }

    /// <summary>The reference's Example B byte for byte, with its placeholders filled in and a real timestamp.</summary>
    private static byte[] ReferenceImageWebhook(string phoneNumberId) => Encoding.UTF8.GetBytes(MetaFixtures.Text("whatsapp-image.json")
        .Replace("<PHONE_NUMBER_ID>", phoneNumberId, StringComparison.Ordinal)
        .Replace("<CONTACT_NAME>", "Kerry Fisher", StringComparison.Ordinal)
        .Replace("<WA_ID>", "16315551181", StringComparison.Ordinal)
        .Replace("<FROM_PHONE_NUMBER>", "16315551181", StringComparison.Ordinal)
        .Replace("<TIMESTAMP>", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    /// <summary>Example B again, as another message with another media id.</summary>
    private static byte[] ImageWebhook(string phoneNumberId, string messageId, string mediaId) => Encoding.UTF8.GetBytes(
        Encoding.UTF8.GetString(ReferenceImageWebhook(phoneNumberId))
            .Replace("\"wamid.id\"", JsonSerializer.Serialize(messageId), StringComparison.Ordinal)
            .Replace(ReferenceMediaId, mediaId, StringComparison.Ordinal));

    private static byte[] DocumentWebhook(string phoneNumberId, string messageId, string mediaId, string mimeType, string fileName) => Encoding.UTF8.GetBytes(
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"8856996819413533\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\"," +
        $"\"metadata\":{{\"display_phone_number\":\"16505553333\",\"phone_number_id\":\"{phoneNumberId}\"}}," +
        "\"contacts\":[{\"profile\":{\"name\":\"Kerry Fisher\"},\"wa_id\":\"16315551181\"}]," +
        $"\"messages\":[{{\"from\":\"16315551181\",\"id\":{JsonSerializer.Serialize(messageId)},\"timestamp\":\"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\",\"type\":\"document\"," +
        $"\"document\":{{\"filename\":{JsonSerializer.Serialize(fileName)},\"mime_type\":\"{mimeType}\",\"id\":\"{mediaId}\"}}}}]}},\"field\":\"messages\"}}]}}]}}");

    /// <summary>The reference's Messenger attachments entry, with its placeholders filled in, in a page or instagram envelope.</summary>
    private static byte[] AttachmentWebhook(string channel, string accountId, string url) => Encoding.UTF8.GetBytes(MetaFixtures.Entries(
        channel == "messenger" ? "page" : "instagram",
        MetaFixtures.Text("messenger-attachments-entry.json")
            .Replace("<PSID>", "24022025000000001", StringComparison.Ordinal)
            .Replace("<PAGE_ID>", accountId, StringComparison.Ordinal)
            .Replace("\"682498302938465\"", $"\"{accountId}\"", StringComparison.Ordinal)
            .Replace("<image|video|audio|file|reel|ig_reel>", "image", StringComparison.Ordinal)
            .Replace("<ATTACHMENT_URL>", url, StringComparison.Ordinal)));

    private static string NextAccountId() => Interlocked.Increment(ref _nextAccountId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> ConnectWhatsAppAsync(TestUser owner, string? accessToken = null)
    {
        var phoneNumberId = NextAccountId();
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", new
        {
            channel = "whatsapp", phoneNumberId, wabaId = "8856996819413533", accessToken = accessToken ?? _graph.AccessToken,
        });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"connecting {phoneNumberId}: {await response.Content.ReadAsStringAsync()}");
        return phoneNumberId;
    }

    private async Task<string> ConnectAsync(TestUser owner, string channel)
    {
        var accountId = NextAccountId();
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", channel == "messenger"
            ? (object)new { channel, pageId = accountId, pageAccessToken = _graph.AccessToken }
            : new { channel, instagramAccountId = accountId, accessToken = _graph.AccessToken });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"connecting {channel} {accountId}: {await response.Content.ReadAsStringAsync()}");
        return accountId;
    }

    private async Task<HttpResponseMessage> PostAsync(string channel, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{channel}") { Content = content };
        request.Headers.Add(MetaWebhookSignature.HeaderName, new MetaWebhookSignature(DeploymentSecret).Compute(body));
        var response = await _frontend.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    /// <summary>The <c>mediaObjectId</c> the stored message's attachment names, once the message is in the read model.</summary>
    private async Task<string> MediaObjectIdOfAsync(TestUser owner, string messageExternalId)
    {
        var rows = await Eventually.Get(
            () => OwnerSql.QueryAsync(_frontend, "SELECT attachments::text AS a FROM messages WHERE tenant_id = @t AND external_id = @e",
                ("t", owner.TenantId), ("e", messageExternalId)),
            r => r.Count == 1, TimeSpan.FromSeconds(30), $"message {messageExternalId}");
        using var attachments = JsonDocument.Parse((string)rows[0]["a"]!);
        return attachments.RootElement[0].GetProperty("mediaObjectId").GetString()!;
    }

    private static async Task<JsonElement> WaitUntilSettledAsync(TestUser owner, string mediaObjectId) =>
        await Eventually.Get(
            async () =>
            {
                var response = await owner.Http.GetAsync($"/api/v1/media/{mediaObjectId}/info");
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            },
            info => info.ValueKind == JsonValueKind.Object && info.GetProperty("status").GetString() != "pending",
            TimeSpan.FromSeconds(30), $"media {mediaObjectId} to be fetched");
}
