using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Replies;

/// <summary>
/// Agent replies end to end: <c>POST /api/v1/conversations/{id}/messages</c> → ConversationGrain (windows, SDR rule,
/// Idempotency-Key) → OutboundMessageGrain → the fake Graph API answering like Meta → status webhooks → the message view.
/// </summary>
public sealed class ReplyTests(ReplyHost host) : IClassFixture<ReplyHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TestFrontend _frontend = host.Frontend;
    private readonly FakeGraphApi _graph = host.Graph;

    [Fact]
    public async Task A_text_reply_reaches_the_graph_api_as_whatsapp_json_and_moves_from_queued_to_sent_delivered_and_read()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        var contact = "16315551181";
        var inbound = await tenant.CustomerWritesOnWhatsAppAsync(contact, DateTimeOffset.UtcNow.AddMinutes(-5));
        var conversation = tenant.WhatsAppConversation(contact);

        _graph.HoldSends = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        HttpResponseMessage response;
        try
        {
            response = await tenant.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { text = "Yes, in 2 days.", replyToMessageId = inbound });
        }
        finally
        {
            _graph.HoldSends.TrySetResult();
            _graph.HoldSends = null;
        }
        var queued = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("queued", queued.GetProperty("status").GetProperty("status").GetString());
        Assert.Equal("outbound", queued.GetProperty("direction").GetString());
        Assert.False(queued.GetProperty("sandbox").GetBoolean());
        var id = queued.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/conversations/{conversation}/messages/{id}", response.Headers.Location!.ToString());

        var sent = await WaitForStatusAsync(tenant.Owner.Http, conversation, id, "sent");
        var send = Assert.Single(_graph.AcceptedSendsTo(tenant.PhoneNumberId));
        Assert.Equal($"/{FakeGraphApi.Version}/{tenant.PhoneNumberId}/messages", send.Path);
        using (var json = JsonDocument.Parse(send.Json!))
        {
            var body = json.RootElement;
            Assert.Equal("whatsapp", body.GetProperty("messaging_product").GetString());
            Assert.Equal("individual", body.GetProperty("recipient_type").GetString());
            Assert.Equal(contact, body.GetProperty("to").GetString());
            Assert.Equal("text", body.GetProperty("type").GetString());
            Assert.Equal("Yes, in 2 days.", body.GetProperty("text").GetProperty("body").GetString());
            Assert.False(body.GetProperty("text").GetProperty("preview_url").GetBoolean());
            Assert.Equal(inbound, body.GetProperty("context").GetProperty("message_id").GetString());
        }
        Assert.Equal(send.AcceptedId, sent.GetProperty("externalId").GetString());

        await tenant.StatusAsync(contact, send.AcceptedId!, "delivered", DateTimeOffset.UtcNow);
        await WaitForStatusAsync(tenant.Owner.Http, conversation, id, "delivered");
        await tenant.StatusAsync(contact, send.AcceptedId!, "read", DateTimeOffset.UtcNow);
        await WaitForStatusAsync(tenant.Owner.Http, conversation, id, "read");

        var detail = await tenant.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation}");
        var listed = detail.GetProperty("messages").GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == id);
        Assert.Equal("read", listed.GetProperty("status").GetProperty("status").GetString());
        Assert.Equal("Yes, in 2 days.", detail.GetProperty("conversation").GetProperty("lastMessagePreview").GetString());
    }

    [Fact]
    public async Task A_reply_to_a_customer_who_hides_their_number_is_sent_to_their_bsuid_as_recipient_instead_of_to()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        var bsuid = "US." + Random.Shared.NextInt64(1_000_000_000_000_000, 9_000_000_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await tenant.CustomerWithHiddenNumberWritesOnWhatsAppAsync(bsuid, DateTimeOffset.UtcNow.AddMinutes(-5));
        var conversation = tenant.WhatsAppConversation(bsuid);

        var response = await tenant.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { text = "Yes, we do." });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await WaitForStatusAsync(tenant.Owner.Http, conversation, id, "sent");
        var send = Assert.Single(_graph.AcceptedSendsTo(tenant.PhoneNumberId));
        using var json = JsonDocument.Parse(send.Json!);
        Assert.Equal(bsuid, json.RootElement.GetProperty("recipient").GetString());
        Assert.False(json.RootElement.TryGetProperty("to", out _));
    }

    [Fact]
    public async Task Free_text_on_whatsapp_more_than_24_hours_after_the_customer_wrote_is_409_window_closed_and_nothing_is_sent()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        var lastInbound = DateTimeOffset.UtcNow.AddHours(-25);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551182", lastInbound);

        var (status, problem) = await ReplyAsync(tenant.Owner.Http, tenant.WhatsAppConversation("16315551182"), new { text = "Still interested?" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.EndsWith("/problems/window-closed", problem.GetProperty("type").GetString());
        Assert.Contains("template", problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(problem.GetProperty("templateRequired").GetBoolean());
        var closedAt = problem.GetProperty("windowClosedAt").GetDateTimeOffset();
        Assert.InRange(closedAt, lastInbound.AddHours(24).AddSeconds(-1), lastInbound.AddHours(24).AddSeconds(1));
        Assert.DoesNotContain(_graph.Sends, s => s.Node == tenant.PhoneNumberId);
        var rows = await OwnerSql.QueryAsync(_frontend, "SELECT count(*) AS n FROM messages WHERE tenant_id = @t AND direction = 'outbound'", ("t", tenant.TenantId));
        Assert.Equal(0L, rows[0]["n"]);
    }

    [Fact]
    public async Task A_template_outside_the_window_is_sent_with_its_language_and_parameters()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551183", DateTimeOffset.UtcNow.AddDays(-3));
        var conversation = tenant.WhatsAppConversation("16315551183");

        var (status, view) = await ReplyAsync(tenant.Owner.Http, conversation, new
        {
            template = new
            {
                name = "order_update", language = "en_US",
                components = new object[]
                {
                    new { type = "body", parameters = new object[] { new { type = "text", text = "Kerry" }, new { type = "currency", currency = new { fallback_value = "$100.99", code = "USD", amount_1000 = 100990 } } } },
                    new { type = "button", sub_type = "quick_reply", index = "0", parameters = new object[] { new { type = "payload", payload = "TRACK" } } },
                },
            },
        });

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("template", view.GetProperty("kind").GetString());
        await WaitForStatusAsync(tenant.Owner.Http, conversation, view.GetProperty("id").GetInt64(), "sent");
        var send = Assert.Single(_graph.AcceptedSendsTo(tenant.PhoneNumberId));
        using var json = JsonDocument.Parse(send.Json!);
        var template = json.RootElement.GetProperty("template");
        Assert.Equal("template", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("order_update", template.GetProperty("name").GetString());
        Assert.Equal("en_US", template.GetProperty("language").GetProperty("code").GetString());
        var body = template.GetProperty("components")[0];
        Assert.Equal("body", body.GetProperty("type").GetString());
        Assert.Equal("Kerry", body.GetProperty("parameters")[0].GetProperty("text").GetString());
        Assert.Equal(100990, body.GetProperty("parameters")[1].GetProperty("currency").GetProperty("amount_1000").GetInt32());
        Assert.Equal("quick_reply", template.GetProperty("components")[1].GetProperty("sub_type").GetString());
    }

    [Fact]
    public async Task On_messenger_a_person_replies_with_the_human_agent_tag_between_24_hours_and_7_days_but_an_api_key_and_anyone_after_7_days_get_409()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnMessengerAsync("7001", DateTimeOffset.UtcNow.AddMinutes(-10));
        await tenant.CustomerWritesOnMessengerAsync("7002", DateTimeOffset.UtcNow.AddDays(-3));
        await tenant.CustomerWritesOnMessengerAsync("7003", DateTimeOffset.UtcNow.AddDays(-8));
        using var apiKey = await ApiKeyClientAsync(tenant);

        var (fresh, freshView) = await ReplyAsync(tenant.Owner.Http, tenant.MessengerConversation("7001"), new { text = "Yes, it is." });
        var (tagged, taggedView) = await ReplyAsync(tenant.Owner.Http, tenant.MessengerConversation("7002"), new { text = "Sorry for the wait!" });
        var (automated, automatedProblem) = await ReplyAsync(apiKey, tenant.MessengerConversation("7002"), new { text = "Automated nudge" });
        var (late, lateProblem) = await ReplyAsync(tenant.Owner.Http, tenant.MessengerConversation("7003"), new { text = "Hello again" });

        Assert.Equal(HttpStatusCode.Accepted, fresh);
        Assert.Equal(HttpStatusCode.Accepted, tagged);
        Assert.Equal(HttpStatusCode.Conflict, automated);
        Assert.EndsWith("/problems/window-closed", automatedProblem.GetProperty("type").GetString());
        Assert.Contains("API key", automatedProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, late);
        Assert.Contains("7 days", lateProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await WaitForStatusAsync(tenant.Owner.Http, tenant.MessengerConversation("7001"), freshView.GetProperty("id").GetInt64(), "sent");
        await WaitForStatusAsync(tenant.Owner.Http, tenant.MessengerConversation("7002"), taggedView.GetProperty("id").GetInt64(), "sent");
        var sends = _graph.AcceptedSendsTo(tenant.PageId);
        Assert.Equal(2, sends.Count);
        var bodies = sends.Select(s => JsonDocument.Parse(s.Json!).RootElement).ToDictionary(b => b.GetProperty("recipient").GetProperty("id").GetString()!);
        Assert.Equal("RESPONSE", bodies["7001"].GetProperty("messaging_type").GetString());
        Assert.False(bodies["7001"].TryGetProperty("tag", out _));
        Assert.Equal("MESSAGE_TAG", bodies["7002"].GetProperty("messaging_type").GetString());
        Assert.Equal("HUMAN_AGENT", bodies["7002"].GetProperty("tag").GetString());
        Assert.Equal("Sorry for the wait!", bodies["7002"].GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Sequential_and_ten_concurrent_retries_with_one_idempotency_key_create_one_message_and_one_graph_request()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551184", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551184");

        var (first, firstView) = await ReplyAsync(tenant.Owner.Http, conversation, new { text = "Your order shipped." }, "key-sequential-1");
        var (second, secondView) = await ReplyAsync(tenant.Owner.Http, conversation, new { text = "Your order shipped." }, "key-sequential-1");
        Assert.Equal(HttpStatusCode.Accepted, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(firstView.GetProperty("id").GetInt64(), secondView.GetProperty("id").GetInt64());

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ReplyAsync(tenant.Owner.Http, conversation, new { text = "Tracking: ABC123" }, "key-concurrent-1")));
        Assert.All(concurrent, r => Assert.True(r.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, r.Body.ToString()));
        Assert.Single(concurrent, r => r.Status == HttpStatusCode.Accepted);
        Assert.Single(concurrent.Select(r => r.Body.GetProperty("id").GetInt64()).Distinct());

        await WaitForStatusAsync(tenant.Owner.Http, conversation, concurrent[0].Body.GetProperty("id").GetInt64(), "sent");
        await WaitForStatusAsync(tenant.Owner.Http, conversation, firstView.GetProperty("id").GetInt64(), "sent");
        Assert.Equal(2, _graph.Sends.Count(s => s.Node == tenant.PhoneNumberId));
        var rows = await OwnerSql.QueryAsync(_frontend, "SELECT count(*) AS n FROM messages WHERE tenant_id = @t AND direction = 'outbound'", ("t", tenant.TenantId));
        Assert.Equal(2L, rows[0]["n"]);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_a_different_body_is_422_naming_the_header()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551185", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551185");

        var (first, _) = await ReplyAsync(tenant.Owner.Http, conversation, new { text = "Price is 499." }, "key-mismatch-1");
        var (second, problem) = await ReplyAsync(tenant.Owner.Http, conversation, new { text = "Price is 399." }, "key-mismatch-1");

        Assert.Equal(HttpStatusCode.Accepted, first);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Fact]
    public async Task A_130429_rate_limit_is_retried_with_backoff_and_the_message_is_sent_once()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551186", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551186");
        _graph.FailNextSends(130429);

        var (_, view) = await ReplyAsync(tenant.Owner.Http, conversation, new { text = "Here is the brochure." });

        await WaitForStatusAsync(tenant.Owner.Http, conversation, view.GetProperty("id").GetInt64(), "sent");
        var requests = _graph.Sends.Where(s => s.Node == tenant.PhoneNumberId).ToList();
        Assert.Equal([400, 200], requests.Select(r => r.Status));
        Assert.Single(requests, r => r.AcceptedId is not null);
    }

    [Fact]
    public async Task Repeated_131056_pair_rate_limits_beyond_the_quick_retries_are_retried_later_by_the_grain_and_sent_once()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551187", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551187");
        _graph.FailNextSends(131056, 131056, 131056, 131056);

        var (_, view) = await ReplyAsync(tenant.Owner.Http, conversation, new { text = "One more thing." });

        await WaitForStatusAsync(tenant.Owner.Http, conversation, view.GetProperty("id").GetInt64(), "sent");
        var requests = _graph.Sends.Where(s => s.Node == tenant.PhoneNumberId).ToList();
        Assert.Equal(5, requests.Count);
        Assert.Single(requests, r => r.AcceptedId is not null);
        var attempts = await OwnerSql.QueryAsync(_frontend, "SELECT attempts FROM outbound_messages WHERE tenant_id = @t", ("t", tenant.TenantId));
        Assert.Equal(2, attempts[0]["attempts"]);
    }

    [Fact]
    public async Task A_131047_refusal_fails_the_message_with_its_code_and_title_and_is_not_retried()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551188", DateTimeOffset.UtcNow.AddHours(-23));
        var conversation = tenant.WhatsAppConversation("16315551188");
        _graph.FailNextSends(131047);

        var (_, view) = await ReplyAsync(tenant.Owner.Http, conversation, new { text = "Just in time?" });

        var failed = await WaitForStatusAsync(tenant.Owner.Http, conversation, view.GetProperty("id").GetInt64(), "failed");
        Assert.Equal(131047, failed.GetProperty("status").GetProperty("errorCode").GetInt32());
        Assert.Equal("Re-engagement message", failed.GetProperty("status").GetProperty("errorTitle").GetString());
        Assert.Single(_graph.Sends, s => s.Node == tenant.PhoneNumberId);
    }

    [Fact]
    public async Task A_131047_failure_arriving_later_in_a_status_webhook_fails_the_sent_message()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551189", DateTimeOffset.UtcNow.AddMinutes(-30));
        var conversation = tenant.WhatsAppConversation("16315551189");
        var (_, view) = await ReplyAsync(tenant.Owner.Http, conversation, new { text = "Following up" });
        var id = view.GetProperty("id").GetInt64();
        var sent = await WaitForStatusAsync(tenant.Owner.Http, conversation, id, "sent");

        await tenant.StatusAsync("16315551189", sent.GetProperty("externalId").GetString()!, "failed", DateTimeOffset.UtcNow, [new
        {
            code = 131047, title = "Re-engagement message", message = "Re-engagement message",
            error_data = new { details = "Message failed to send because more than 24 hours have passed since the customer last replied to this number." },
            href = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
        }]);

        var failed = await WaitForStatusAsync(tenant.Owner.Http, conversation, id, "failed");
        Assert.Equal(131047, failed.GetProperty("status").GetProperty("errorCode").GetInt32());
        Assert.Equal("Re-engagement message", failed.GetProperty("status").GetProperty("errorTitle").GetString());
    }

    [Fact]
    public async Task A_file_goes_to_the_graph_media_endpoint_then_is_sent_by_id_with_its_caption_and_is_served_back()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551190", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551190");
        var bytes = FakeGraphApi.JpegLike(50_000);

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "catalogue.jpg");
        form.Add(new StringContent("Our new catalogue"), "caption");
        var response = await tenant.Owner.Http.PostAsync($"/api/v1/conversations/{conversation}/messages", form);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("image", view.GetProperty("kind").GetString());
        await WaitForStatusAsync(tenant.Owner.Http, conversation, view.GetProperty("id").GetInt64(), "sent");
        var requests = _graph.Sends.Where(s => s.Node == tenant.PhoneNumberId).ToList();
        Assert.Equal(["media", "messages"], requests.Select(r => r.Endpoint));
        Assert.Equal(bytes, requests[0].File);
        Assert.Equal("whatsapp", requests[0].Fields["messaging_product"]);
        Assert.Equal("image/jpeg", requests[0].Fields["type"]);
        using var json = JsonDocument.Parse(requests[1].Json!);
        Assert.Equal("image", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(requests[0].AcceptedId, json.RootElement.GetProperty("image").GetProperty("id").GetString());
        Assert.Equal("Our new catalogue", json.RootElement.GetProperty("image").GetProperty("caption").GetString());

        var mediaId = view.GetProperty("attachments")[0].GetProperty("mediaObjectId").GetString();
        Assert.Equal(bytes, await tenant.Owner.Http.GetByteArrayAsync($"/api/v1/media/{mediaId}"));
    }

    [Fact]
    public async Task An_upload_whose_bytes_are_not_the_image_it_claims_is_served_back_as_a_download_never_inline()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551192", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551192");
        var executable = new byte[4_096];
        "MZ"u8.CopyTo(executable);
        var png = new byte[4_096];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(png, 0);

        var disguised = await (await PostFileAsync(tenant, conversation, executable, "image/png")).Content.ReadFromJsonAsync<JsonElement>();
        var genuine = await (await PostFileAsync(tenant, conversation, png, "image/png")).Content.ReadFromJsonAsync<JsonElement>();
        using var disguisedServed = await tenant.Owner.Http.GetAsync($"/api/v1/media/{disguised.GetProperty("attachments")[0].GetProperty("mediaObjectId").GetString()}");
        using var genuineServed = await tenant.Owner.Http.GetAsync($"/api/v1/media/{genuine.GetProperty("attachments")[0].GetProperty("mediaObjectId").GetString()}");

        Assert.Equal(HttpStatusCode.OK, disguisedServed.StatusCode);
        Assert.Equal("application/octet-stream", disguisedServed.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", disguisedServed.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(executable, await disguisedServed.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", disguisedServed.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("image/png", genuineServed.Content.Headers.ContentType!.MediaType);
        Assert.Null(genuineServed.Content.Headers.ContentDisposition);
        Assert.Equal(png, await genuineServed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_file_over_the_channels_limit_is_413_and_a_type_the_channel_refuses_is_400_naming_the_file()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551191", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551191");

        // Over the 2,000,000-byte cap but inside the request's hard limit (cap + 64 KiB), so the server reads the whole
        // upload and answers; a body past the hard limit is cut off by Kestrel, and a client still sending may see only
        // the closed connection.
        var tooLarge = await PostFileAsync(tenant, conversation, new byte[2_030_000], "image/jpeg");
        var refused = await PostFileAsync(tenant, conversation, new byte[100], "application/x-msdownload");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.True((await tooLarge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("file", out _));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("file", out _));
        Assert.DoesNotContain(_graph.Sends, s => s.Node == tenant.PhoneNumberId);
    }

    [Fact]
    public async Task Bad_replies_are_400_naming_the_field()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551192", DateTimeOffset.UtcNow.AddMinutes(-1));
        await tenant.CustomerWritesOnMessengerAsync("7010", DateTimeOffset.UtcNow.AddMinutes(-1));
        await tenant.CustomerWritesOnMessengerAsync("7011", DateTimeOffset.UtcNow.AddMinutes(-1));
        var whatsApp = tenant.WhatsAppConversation("16315551192");

        await AssertInvalidAsync(tenant, whatsApp, new { text = "   " }, "text");
        await AssertInvalidAsync(tenant, whatsApp, new { }, "text");
        await AssertInvalidAsync(tenant, whatsApp, new { text = new string('a', 4097) }, "text");
        await AssertInvalidAsync(tenant, tenant.MessengerConversation("7010"), new { text = new string('a', 2001) }, "text");
        await AssertInvalidAsync(tenant, whatsApp, new { text = "Hi", replyToMessageId = "wamid.not-in-this-conversation" }, "replyToMessageId");
        await AssertInvalidAsync(tenant, whatsApp, new { template = new { name = "order_update" } }, "template.language");
        await AssertInvalidAsync(tenant, whatsApp, new { template = new { name = "order_update", language = "en_US", components = new[] { new { type = "footer" } } } }, "template.components[0].type");
        await AssertInvalidAsync(tenant, whatsApp, new { template = new { name = "Order Update!", language = "en_US" } }, "template.name");
        await AssertInvalidAsync(tenant, tenant.MessengerConversation("7011"), new { template = new { name = "order_update", language = "en_US" } }, "template");
        Assert.DoesNotContain(_graph.Sends, s => s.Node == tenant.PhoneNumberId || s.Node == tenant.PageId);
    }

    [Fact]
    public async Task An_sdr_cannot_reply_to_a_conversation_assigned_to_someone_else_but_can_to_their_own()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551193", DateTimeOffset.UtcNow.AddMinutes(-1));
        await tenant.CustomerWritesOnWhatsAppAsync("16315551194", DateTimeOffset.UtcNow.AddMinutes(-1));
        var sdr = await TestMembership.JoinAsync(_frontend, tenant.TenantId, TenantRole.Sdr);
        var others = tenant.WhatsAppConversation("16315551193");
        var theirs = tenant.WhatsAppConversation("16315551194");
        Assert.True((await tenant.Owner.Http.PatchAsJsonAsync($"/api/v1/conversations/{others}", new { assigneeUserId = tenant.Owner.UserId })).IsSuccessStatusCode);
        Assert.True((await tenant.Owner.Http.PatchAsJsonAsync($"/api/v1/conversations/{theirs}", new { assigneeUserId = sdr.UserId })).IsSuccessStatusCode);

        var (refused, _) = await ReplyAsync(sdr.Http, others, new { text = "I'll take this one" });
        var (allowed, _) = await ReplyAsync(sdr.Http, theirs, new { text = "Happy to help" });

        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Equal(HttpStatusCode.Accepted, allowed);
        var rows = await OwnerSql.QueryAsync(_frontend, "SELECT conversation_id FROM messages WHERE tenant_id = @t AND direction = 'outbound'", ("t", tenant.TenantId));
        Assert.Equal(theirs, Assert.Single(rows)["conversation_id"]);
    }

    [Fact]
    public async Task Another_tenants_conversation_is_404_and_nothing_is_stored_or_sent()
    {
        var victim = await ReplyTenant.CreateAsync(_frontend, _graph);
        await victim.CustomerWritesOnWhatsAppAsync("16315551195", DateTimeOffset.UtcNow.AddMinutes(-1));
        var intruder = await TestUser.SignUpAsync(_frontend, company: "Intruder Co");
        var conversation = victim.WhatsAppConversation("16315551195");

        var (status, _) = await ReplyAsync(intruder.Http, conversation, new { text = "Hello from elsewhere" });
        var message = await intruder.Http.GetAsync($"/api/v1/conversations/{conversation}/messages/1");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(HttpStatusCode.NotFound, message.StatusCode);
        Assert.DoesNotContain(_graph.Sends, s => s.Node == victim.PhoneNumberId);
    }

    [Fact]
    public async Task A_messenger_echo_of_our_reply_that_arrives_before_the_send_answer_does_not_create_a_second_message()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        await tenant.CustomerWritesOnMessengerAsync("7020", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.MessengerConversation("7020");
        var mid = "m_echo" + Guid.NewGuid().ToString("N");
        _graph.UseNextMessageId(mid);
        _graph.HoldSends = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long id;
        try
        {
            var (_, view) = await ReplyAsync(tenant.Owner.Http, conversation, new { text = "On its way" });
            id = view.GetProperty("id").GetInt64();
            var send = await Eventually.Get(() => Task.FromResult(_graph.Sends.FirstOrDefault(s => s.Node == tenant.PageId)), s => s is not null, Patience, "the send request");
            var metadata = JsonDocument.Parse(send!.Json!).RootElement.GetProperty("message").GetProperty("metadata").GetString();

            await tenant.EchoOnMessengerAsync("7020", mid, "On its way", metadata, DateTimeOffset.UtcNow);
            await WaitForStatusAsync(tenant.Owner.Http, conversation, id, "sent");
        }
        finally
        {
            _graph.HoldSends.TrySetResult();
            _graph.HoldSends = null;
        }
        await tenant.EchoOnMessengerAsync("7020", mid, "On its way", null, DateTimeOffset.UtcNow);
        await Task.Delay(500);

        var rows = await OwnerSql.QueryAsync(_frontend, "SELECT direction, external_id FROM messages WHERE tenant_id = @t AND direction <> 'inbound'", ("t", tenant.TenantId));
        var row = Assert.Single(rows);
        Assert.Equal("outbound", row["direction"]);
        Assert.Equal(mid, row["external_id"]);
        var state = await OwnerSql.QueryAsync(_frontend, "SELECT state, external_id FROM outbound_messages WHERE tenant_id = @t", ("t", tenant.TenantId));
        Assert.Equal("sent", state[0]["state"]);
        Assert.Equal(mid, state[0]["external_id"]);
    }

    private static async Task AssertInvalidAsync(ReplyTenant tenant, string conversation, object body, string field)
    {
        var (status, problem) = await ReplyAsync(tenant.Owner.Http, conversation, body);
        Assert.True(status == HttpStatusCode.BadRequest, $"{field}: {status} {problem}");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error on '{field}': {problem}");
    }

    private static async Task<HttpResponseMessage> PostFileAsync(ReplyTenant tenant, string conversation, byte[] bytes, string type)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(type);
        form.Add(file, "file", "upload.bin");
        return await tenant.Owner.Http.PostAsync($"/api/v1/conversations/{conversation}/messages", form);
    }

    private async Task<HttpClient> ApiKeyClientAsync(ReplyTenant tenant)
    {
        var created = await tenant.Owner.Http.PostAsJsonAsync($"/api/v1/tenants/{tenant.TenantId}/api-keys", new { name = "Automation", role = "admin" });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.IsSuccessStatusCode, body.ToString());
        var client = _frontend.NewClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", body.GetProperty("key").GetString());
        return client;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> ReplyAsync(HttpClient http, string conversation, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{conversation}/messages")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<JsonElement> WaitForStatusAsync(HttpClient http, string conversation, long id, string status) =>
        await Eventually.Get(
            () => http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation}/messages/{id}"),
            m => m.GetProperty("status").ValueKind == JsonValueKind.Object && m.GetProperty("status").GetProperty("status").GetString() == status,
            Patience, $"message {id} {status}");
}
