using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Channels.Meta;
using Flexoraa.Conversations;
using Flexoraa.Leads;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;
using Flexoraa.Tests.Replies;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Leads;

/// <summary>
/// Conversations feed their leads: a new contact's first message finds or creates its lead through the lead directory
/// (one lead per customer, however many numbers they write to at once), in the tenant's default pipeline's first stage;
/// every stored message, a fast reply and a resolve reach the lead as engagement events, one call per run of messages,
/// and the messages show on the lead's timeline.
/// </summary>
public sealed class ConversationEngagementTests(ConversationEngagementTests.Host host) : IClassFixture<ConversationEngagementTests.Host>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TestFrontend _frontend = host.Frontend;
    private readonly FakeGraphApi _graph = host.Graph;
    private readonly ConversationEngagementRecorder _engagements = host.Engagements;

    /// <summary>A frontend with the Meta app and the fake Graph API of the reply tests, and the engagement recorder.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public FakeGraphApi Graph { get; private set; } = null!;
        public TestFrontend Frontend { get; private set; } = null!;
        public ConversationEngagementRecorder Engagements { get; } = new();

        public async Task InitializeAsync()
        {
            Graph = await FakeGraphApi.StartAsync();
            Frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), null, null,
                b => b.Services.AddSingleton<IOutgoingGrainCallFilter>(Engagements),
                $"--Flexoraa:Meta:AppSecret={MetaAppFrontend.AppSecret}",
                $"--Flexoraa:Meta:GraphApiBaseUrl={Graph.BaseUrl}",
                $"--Flexoraa:Meta:GraphApiVersion={FakeGraphApi.Version}",
                "--Flexoraa:Outbound:RetryBaseDelay=00:00:00.100");
        }

        public async Task DisposeAsync()
        {
            await Frontend.DisposeAsync();
            await Graph.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_new_whatsapp_contacts_first_message_creates_one_lead_in_the_default_pipelines_first_stage()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        const string contact = "919811170001";
        await tenant.CustomerWritesOnWhatsAppAsync(contact, DateTimeOffset.UtcNow, "Is the red saree in stock?");

        var leads = await Eventually.Get(() => LeadsAsync(tenant.Owner), l => l.Count > 0, Patience, "the contact's lead in the list");
        var lead = Assert.Single(leads);
        Assert.Equal("+" + contact, lead.GetProperty("phone").GetString());
        Assert.Equal("whatsapp", lead.GetProperty("source").GetString());
        Assert.Equal("Kerry Fisher", lead.GetProperty("displayName").GetString());
        var pipelines = await tenant.Owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/pipelines");
        var pipeline = pipelines.GetProperty("items")[0];
        Assert.Equal(pipeline.GetProperty("id").GetString(), lead.GetProperty("pipelineId").GetString());
        Assert.Equal(pipeline.GetProperty("stages")[0].GetProperty("id").GetString(), lead.GetProperty("stageId").GetString());

        // The lead's grain reads the row the directory wrote: the lead is there, at its first version, and can move on.
        var id = lead.GetProperty("id").GetString()!;
        var read = await tenant.Owner.Http.GetAsync($"/api/v1/leads/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/leads/{id}") { Content = JsonContent.Create(new { stageId = "st_contacted" }) };
        patch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var moved = await tenant.Owner.Http.SendAsync(patch);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("\"2\"", moved.Headers.ETag!.Tag);
        Assert.Equal(id, await ConversationLeadAsync(tenant.Owner, tenant.WhatsAppConversation(contact)));
    }

    [Fact]
    public async Task Two_first_messages_racing_from_one_phone_to_two_numbers_end_with_one_lead()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        var (secondAccount, secondNumber) = await ConnectWhatsAppAsync(tenant.Owner);
        var phones = Enumerable.Range(0, 4).Select(i => "91982222" + (1000 + Random.Shared.Next(8000) + i).ToString(CultureInfo.InvariantCulture)).Distinct().ToList();

        // Both numbers' first messages at once, so their links race in one commit or in two concurrent ones.
        await Task.WhenAll(phones.SelectMany(phone => new[]
        {
            PostWhatsAppTextAsync(tenant.PhoneNumberId, phone, "hello from the first"),
            PostWhatsAppTextAsync(secondNumber, phone, "hello from the second"),
        }));

        foreach (var phone in phones)
        {
            var first = await Eventually.Get(() => ConversationLeadAsync(tenant.Owner, tenant.WhatsAppConversation(phone)), l => l is not null, Patience, "the first link");
            var second = await Eventually.Get(() => ConversationLeadAsync(tenant.Owner, ConversationKeys.ConversationId(secondAccount, phone)), l => l is not null, Patience,
                "the second link");
            Assert.Equal(first, second);
        }
        var leads = await LeadsAsync(tenant.Owner);
        Assert.Equal(phones.Count, leads.Count);
        Assert.Equal(phones.Select(p => "+" + p).Order(), leads.Select(l => l.GetProperty("phone").GetString()).Order());
    }

    [Fact]
    public async Task Inbound_and_outbound_messages_appear_on_the_lead_timeline_with_direction_conversation_and_preview()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        const string contact = "919811170003";
        var conversation = tenant.WhatsAppConversation(contact);
        var inbound = await tenant.CustomerWritesOnWhatsAppAsync(contact, DateTimeOffset.UtcNow.AddMinutes(-1), "Do you ship to Pune?");
        var reply = await tenant.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { text = "Yes, in 2 days." });
        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        var leadId = (await ConversationLeadAsync(tenant.Owner, conversation))!;

        var timeline = await Eventually.Get(() => TimelineAsync(tenant.Owner, leadId), t => t.Count(e => e.GetProperty("kind").GetString() == "message") == 2,
            Patience, "both messages on the timeline");
        var messages = timeline.Where(e => e.GetProperty("kind").GetString() == "message").ToList();
        // Newest first.
        Assert.Equal("outbound", messages[0].GetProperty("details").GetProperty("direction").GetString());
        Assert.Equal("Yes, in 2 days.", messages[0].GetProperty("body").GetString());
        Assert.Equal("inbound", messages[1].GetProperty("details").GetProperty("direction").GetString());
        Assert.Equal("Do you ship to Pune?", messages[1].GetProperty("body").GetString());
        Assert.Equal(inbound, messages[1].GetProperty("details").GetProperty("messageExternalId").GetString());
        Assert.Equal("whatsapp", messages[1].GetProperty("details").GetProperty("channel").GetString());
        Assert.All(messages, m => Assert.Equal(conversation, m.GetProperty("conversationId").GetString()));
        // Notes, calls and meetings are still what a user may log: a message entry is the conversation's.
        var logged = await tenant.Owner.Http.PostAsJsonAsync($"/api/v1/leads/{leadId}/activities", new { kind = "message", body = "fake" });
        Assert.Equal(HttpStatusCode.BadRequest, logged.StatusCode);
    }

    [Fact]
    public async Task A_run_of_messages_reaches_the_lead_in_one_call_and_its_timeline_keeps_one_entry_per_message()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        const string contact = "919811170004";
        var conversation = tenant.WhatsAppConversation(contact);
        await tenant.CustomerWritesOnWhatsAppAsync(contact, DateTimeOffset.UtcNow, "first");
        var leadId = (await ConversationLeadAsync(tenant.Owner, conversation))!;
        await Eventually.Get(() => Task.FromResult(_engagements.CallsFrom(conversation).Count), n => n == 1, Patience, "the first message's call");

        // Three messages in one webhook are one run of the conversation: one call carries all three.
        var ids = Enumerable.Range(0, 3).Select(_ => "wamid." + Guid.NewGuid().ToString("N")).ToList();
        await PostWhatsAppTextsAsync(tenant.PhoneNumberId, contact, ids.Select((id, i) => (id, $"burst {i}")).ToArray());
        var timeline = await Eventually.Get(() => TimelineAsync(tenant.Owner, leadId), t => t.Count(e => e.GetProperty("kind").GetString() == "message") == 4,
            Patience, "four message entries");
        Assert.Equal(2, _engagements.CallsFrom(conversation).Count);
        Assert.Equal(ids, _engagements.CallsFrom(conversation)[1].Select(e => e.MessageExternalId));

        // The same events delivered again add no entries; a new message sent after them shows once they have been through.
        var lead = _frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<ILeadGrain>(LeadKeys.GrainKey(tenant.TenantId, leadId));
        await lead.RecordConversationEngagements(_engagements.CallsFrom(conversation)[1]);
        await lead.RecordConversationEngagements([new ConversationEngagement(ConversationEngagementKind.InboundMessage, conversation,
            "wamid.after-replay", DateTimeOffset.UtcNow, "after the replay")]);
        var after = await Eventually.Get(() => TimelineAsync(tenant.Owner, leadId), t => t.Any(e => e.GetProperty("body").GetString() == "after the replay"),
            Patience, "the message after the replay");
        Assert.Equal(5, after.Count(e => e.GetProperty("kind").GetString() == "message"));
        Assert.Equal(timeline.Count + 1, after.Count);
    }

    [Fact]
    public async Task The_first_reply_within_five_minutes_of_the_customers_message_is_a_fast_reply_and_a_later_one_is_not()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        const string quick = "919811170005", slow = "919811170006";
        await tenant.CustomerWritesOnWhatsAppAsync(quick, DateTimeOffset.UtcNow.AddMinutes(-1));
        await tenant.CustomerWritesOnWhatsAppAsync(slow, DateTimeOffset.UtcNow.AddMinutes(-20));

        foreach (var contact in new[] { quick, quick, slow })
        {
            var reply = await tenant.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{tenant.WhatsAppConversation(contact)}/messages", new { text = "On it." });
            Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        }

        var quickEvents = await Eventually.Get(() => Task.FromResult(_engagements.EventsFrom(tenant.WhatsAppConversation(quick))),
            e => e.Count(x => x.Kind == ConversationEngagementKind.OutboundMessage) == 2, Patience, "both replies' events");
        var fast = Assert.Single(quickEvents, e => e.Kind == ConversationEngagementKind.FastReply);
        // The fast reply is the first reply: the second answers nothing new.
        Assert.Equal(quickEvents.First(e => e.Kind == ConversationEngagementKind.OutboundMessage).MessageExternalId, fast.MessageExternalId);
        var slowEvents = await Eventually.Get(() => Task.FromResult(_engagements.EventsFrom(tenant.WhatsAppConversation(slow))),
            e => e.Any(x => x.Kind == ConversationEngagementKind.OutboundMessage), Patience, "the slow reply's event");
        Assert.DoesNotContain(slowEvents, e => e.Kind == ConversationEngagementKind.FastReply);
    }

    [Fact]
    public async Task Resolving_a_conversation_tells_its_lead_once()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        const string contact = "919811170007";
        var conversation = tenant.WhatsAppConversation(contact);
        await tenant.CustomerWritesOnWhatsAppAsync(contact, DateTimeOffset.UtcNow);
        var leadId = (await ConversationLeadAsync(tenant.Owner, conversation))!;

        Assert.Equal(HttpStatusCode.OK, (await tenant.Owner.Http.PatchAsJsonAsync($"/api/v1/conversations/{conversation}", new { status = "resolved" })).StatusCode);
        // Already resolved: tagging it is no second resolve.
        Assert.Equal(HttpStatusCode.OK, (await tenant.Owner.Http.PatchAsJsonAsync($"/api/v1/conversations/{conversation}", new { status = "resolved", tags = new[] { "done" } })).StatusCode);

        var resolved = await Eventually.Get(() => Task.FromResult(_engagements.EventsFrom(conversation).Where(e => e.Kind == ConversationEngagementKind.ConversationResolved).ToList()),
            e => e.Count > 0, Patience, "the resolve's event");
        Assert.Single(resolved);
        Assert.Null(resolved[0].MessageExternalId);
        Assert.Contains(_engagements.CallsFrom(conversation), _ => true);
        Assert.Equal(leadId, (await ConversationLeadAsync(tenant.Owner, conversation))!);
    }

    [Fact]
    public async Task A_conversation_whose_lead_was_deleted_sends_its_lead_nothing()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        const string contact = "919811170008";
        var conversation = tenant.WhatsAppConversation(contact);
        await tenant.CustomerWritesOnWhatsAppAsync(contact, DateTimeOffset.UtcNow);
        var leadId = (await ConversationLeadAsync(tenant.Owner, conversation))!;
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Owner.Http.DeleteAsync($"/api/v1/leads/{leadId}")).StatusCode);
        var grain = _frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<IConversationGrain>(ConversationKeys.GrainKey(tenant.TenantId, conversation));
        await Eventually.Get(async () => (await grain.Summary()).LeadId, l => l is null, Patience, "the conversation forgetting its lead");
        var before = _engagements.CallsFrom(conversation).Count;

        Assert.Equal(HttpStatusCode.Accepted, (await tenant.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { text = "Still there?" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Owner.Http.PatchAsJsonAsync($"/api/v1/conversations/{conversation}", new { status = "resolved" })).StatusCode);

        Assert.Equal(before, _engagements.CallsFrom(conversation).Count);
    }

    [Fact]
    public async Task A_lead_that_takes_the_customers_number_from_a_continuing_conversation_shows_it_through_its_grain()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        var bsuid = "US." + Random.Shared.NextInt64(1_000_000_000_000_000, 9_000_000_000_000_000).ToString(CultureInfo.InvariantCulture);
        const string waId = "919811170009";
        await tenant.CustomerWithHiddenNumberWritesOnWhatsAppAsync(bsuid, DateTimeOffset.UtcNow);
        var leadId = (await ConversationLeadAsync(tenant.Owner, tenant.WhatsAppConversation(bsuid)))!;
        // Its first message made the lead's grain active (the engagement call) while the lead had no number.
        var before = await tenant.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("phone").ValueKind);

        await PostWhatsAppTextsAsync(tenant.PhoneNumberId, waId, bsuid, ("wamid." + Guid.NewGuid().ToString("N"), "it's me, with my number"));

        var after = await Eventually.Get(() => tenant.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}"),
            l => l.GetProperty("phone").GetString() == "+" + waId, Patience, "the lead's grain showing the customer's number");
        Assert.Equal(before.GetProperty("version").GetInt64() + 1, after.GetProperty("version").GetInt64());
        Assert.Equal(leadId, await ConversationLeadAsync(tenant.Owner, tenant.WhatsAppConversation(waId)));
    }

    [Fact]
    public async Task Inbound_messages_a_fast_reply_and_a_resolve_are_scored_once_each_and_traced_to_their_conversation()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        const string contact = "919811170010";
        var conversation = tenant.WhatsAppConversation(contact);
        await PostWhatsAppTextsAsync(tenant.PhoneNumberId, contact, ("wamid." + Guid.NewGuid().ToString("N"), "one"), ("wamid." + Guid.NewGuid().ToString("N"), "two"));
        var leadId = await Eventually.Get(() => ConversationLeadAsync(tenant.Owner, conversation), l => l is not null, Patience, "the lead");
        Assert.Equal(HttpStatusCode.Accepted, (await tenant.Owner.Http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { text = "Hi!" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Owner.Http.PatchAsJsonAsync($"/api/v1/conversations/{conversation}", new { status = "resolved" })).StatusCode);

        // Built-in rules: 5 per inbound message, 3 for the fast reply, 5 for the resolve.
        var score = await Eventually.Get(() => tenant.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}/score"),
            s => s.GetProperty("engagement").GetProperty("items").GetArrayLength() == 4, Patience, "four scored events");
        var items = score.GetProperty("engagement").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["conversationResolved", "fastReply", "inboundMessage", "inboundMessage"], items.Select(i => i.GetProperty("event").GetString()).Order());
        Assert.All(items, i => Assert.Equal("conversation:" + conversation, i.GetProperty("reference").GetString()));
        Assert.Equal(18, score.GetProperty("engagement").GetProperty("points").GetInt32());

        // The run's events delivered again are on the timeline already: nothing is scored twice. A new message written
        // after them shows when the repeat has been through the lead.
        var lead = _frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<ILeadGrain>(LeadKeys.GrainKey(tenant.TenantId, leadId!));
        await lead.RecordConversationEngagements(_engagements.CallsFrom(conversation)[0]);
        await lead.RecordConversationEngagements([new ConversationEngagement(ConversationEngagementKind.InboundMessage, conversation,
            "wamid.after-repeat", DateTimeOffset.UtcNow, "one more")]);
        var again = await Eventually.Get(() => tenant.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}/score"),
            s => s.GetProperty("engagement").GetProperty("items").GetArrayLength() >= 5, Patience, "the new message scored");
        Assert.Equal(5, again.GetProperty("engagement").GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Runs_that_reach_a_lead_while_it_writes_are_written_together_and_none_is_lost()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        const string contact = "919811170021";
        var conversation = tenant.WhatsAppConversation(contact);
        await tenant.CustomerWritesOnWhatsAppAsync(contact, DateTimeOffset.UtcNow, "first");
        var leadId = await Eventually.Get(() => ConversationLeadAsync(tenant.Owner, conversation), l => l is not null, Patience, "the lead");
        await Eventually.Get(() => TimelineAsync(tenant.Owner, leadId!), t => t.Count(e => e.GetProperty("kind").GetString() == "message") == 1, Patience, "the first message's entry");
        var key = LeadKeys.GrainKey(tenant.TenantId, leadId!);
        var lead = _frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<ILeadGrain>(key);
        var writesBefore = _engagements.WritesOf(key);

        // Forty runs sent at once, as forty busy conversations of one customer would.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => lead.RecordConversationEngagements([new ConversationEngagement(
            ConversationEngagementKind.InboundMessage, conversation, $"wamid.together{i:D2}", DateTimeOffset.UtcNow, $"together {i}")])));

        var timeline = await Eventually.Get(() => TimelineAsync(tenant.Owner, leadId!), t => t.Count(e => e.GetProperty("kind").GetString() == "message") == 41,
            Patience, "every run's message on the timeline");
        Assert.Equal(41, timeline.Where(e => e.GetProperty("kind").GetString() == "message").Select(e => e.GetProperty("body").GetString()).Distinct().Count());
        var score = await tenant.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}/score");
        Assert.Equal(41, score.GetProperty("engagement").GetProperty("items").EnumerateArray().Count(i => i.GetProperty("event").GetString() == "inboundMessage"));
        // Fewer writes than runs: the runs that came in while a write was in flight went in the next one.
        Assert.InRange(_engagements.WritesOf(key) - writesBefore, 1, 39);
    }

    [Fact]
    public async Task A_burst_of_scored_runs_reaches_open_screens_at_most_once_a_second_and_ends_with_the_stored_score()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph);
        const string contact = "919811170011";
        var conversation = tenant.WhatsAppConversation(contact);
        await tenant.CustomerWritesOnWhatsAppAsync(contact, DateTimeOffset.UtcNow, "first");
        var leadId = await Eventually.Get(() => ConversationLeadAsync(tenant.Owner, conversation), l => l is not null, Patience, "the lead");
        await Eventually.Get(() => Task.FromResult(_engagements.CallsFrom(conversation).Count), n => n == 1, Patience, "the first message's call");
        await using var client = await InboxClient.ConnectAsync(_frontend, tenant.Owner.AccessToken);
        var lead = _frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<ILeadGrain>(LeadKeys.GrainKey(tenant.TenantId, leadId!));

        // Six runs, each an inbound message that moves the score, one right after the other.
        for (var i = 0; i < 6; i++)
        {
            await lead.RecordConversationEngagements([new ConversationEngagement(ConversationEngagementKind.InboundMessage, conversation,
                "wamid.burst" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, $"burst {i}")]);
        }
        var stored = await Eventually.Get(() => tenant.Owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}/score"),
            s => s.GetProperty("engagement").GetProperty("items").GetArrayLength() == 7, Patience, "seven scored messages");
        // A change within the second of the last announcement is announced when the second is up.
        await Task.Delay(LeadGrain.ScoreAnnouncementInterval * 2.5);

        var scored = client.Drain()
            .Where(e => e.Name == "LeadChanged" && e.Payload.GetProperty("change").GetString() == "scored")
            .Select(e => (At: e.Payload.GetProperty("occurredAt").GetDateTimeOffset(), Total: e.Payload.GetProperty("lead").GetProperty("score").GetProperty("total").GetInt32()))
            .OrderBy(e => e.At)
            .ToList();
        Assert.InRange(scored.Count, 1, 5);
        Assert.Equal(stored.GetProperty("total").GetInt32(), scored[^1].Total);
        Assert.All(scored.Zip(scored.Skip(1)), pair =>
            Assert.True(pair.Second.At - pair.First.At >= LeadGrain.ScoreAnnouncementInterval - TimeSpan.FromMilliseconds(50), $"{pair.First.At:O} then {pair.Second.At:O}"));
    }

    private static async Task<List<JsonElement>> LeadsAsync(TestUser owner) =>
        [.. (await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/leads?limit=100")).GetProperty("items").EnumerateArray()];

    private static async Task<List<JsonElement>> TimelineAsync(TestUser owner, string leadId) =>
        [.. (await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}/timeline?limit=100")).GetProperty("items").EnumerateArray()];

    private static async Task<string?> ConversationLeadAsync(TestUser owner, string conversationId)
    {
        var response = await owner.Http.GetAsync($"/api/v1/conversations/{conversationId}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("conversation").GetProperty("leadId").GetString();
    }

    private static async Task<(string AccountId, string PhoneNumberId)> ConnectWhatsAppAsync(TestUser owner)
    {
        var phoneNumberId = Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture);
        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", new { channel = "whatsapp", phoneNumberId, wabaId = "8856996819413533", accessToken = "EAAG-engagement" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"connecting {phoneNumberId}: {body}");
        return (body.GetProperty("id").GetString()!, phoneNumberId);
    }

    private Task PostWhatsAppTextAsync(string phoneNumberId, string contact, string text) =>
        PostWhatsAppTextsAsync(phoneNumberId, contact, ("wamid." + Guid.NewGuid().ToString("N"), text));

    private Task PostWhatsAppTextsAsync(string phoneNumberId, string contact, params (string Id, string Text)[] messages) =>
        PostWhatsAppTextsAsync(phoneNumberId, contact, null, messages);

    /// <summary>Texts from <paramref name="contact"/> (a wa_id), named by their BSUID too when <paramref name="userId"/> is given.</summary>
    private async Task PostWhatsAppTextsAsync(string phoneNumberId, string contact, string? userId, params (string Id, string Text)[] messages)
    {
        var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
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
                                metadata = new { display_phone_number = "16505553333", phone_number_id = phoneNumberId },
                                contacts = new[] { new { profile = new { name = "Kerry Fisher" }, wa_id = contact, user_id = userId } },
                                messages = messages.Select(m => new { from = contact, from_user_id = userId, id = m.Id, timestamp = at, type = "text", text = new { body = m.Text } }).ToArray(),
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
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
