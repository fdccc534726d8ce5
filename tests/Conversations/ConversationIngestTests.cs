using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.Conversations;
using Flexoraa.Streaming;
using Flexoraa.Tests.Channels;
using Flexoraa.Tests.Infrastructure;
using Npgsql;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Flexoraa.Tests.Conversations;

/// <summary>
/// ConversationGrain fed through the durable <c>channel-inbound</c> stream, as the webhook feeds it, on a real PostgreSQL:
/// dedup, statuses, the service window and lead links.
/// </summary>
public sealed class ConversationIngestTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private const string Tenant = "tn_ingesttenant0001";
    private const string Account = "ch_whatsappaccount01";
    private readonly string _connectionString = fixture.ConnectionString;
    private readonly InProcessTestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task The_same_message_delivered_three_times_is_stored_once()
    {
        var message = Message("wamid.triple", "hello there", contact: "919800000003");

        for (var i = 0; i < 3; i++) await PublishAsync(message);

        await WaitForMessagesAsync(message.ContactId, 1);
        await Task.Delay(500);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM messages WHERE external_id = 'wamid.triple'"));
    }

    [Fact]
    public async Task Fifty_concurrent_deliveries_of_one_message_id_store_one_message_and_count_it_unread_once()
    {
        var message = Message("wamid.fifty", "concurrent", contact: "919800000050");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => PublishAsync(message)));

        await WaitForMessagesAsync(message.ContactId, 1);
        await Task.Delay(500);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM messages WHERE external_id = 'wamid.fifty'"));
        Assert.Equal(1L, await CountAsync("SELECT unread_count::bigint FROM conversations WHERE contact_id = '919800000050'"));
    }

    [Fact]
    public async Task A_message_that_fell_out_of_the_in_memory_window_is_still_caught_by_the_unique_index_after_reactivation()
    {
        var message = Message("wamid.reactivated", "first", contact: "919800000077");
        await PublishAsync(message);
        await WaitForMessagesAsync(message.ContactId, 1);

        var key = ConversationKeys.GrainKey(Tenant, Account, message.ContactId);
        await _cluster.DeactivateAsync(_cluster.Client.GetGrain<IConversationGrain>(key));
        await PublishAsync(message);
        await PublishAsync(Message("wamid.reactivated.2", "second", contact: "919800000077"));

        await WaitForMessagesAsync(message.ContactId, 2);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM messages WHERE external_id = 'wamid.reactivated'"));
    }

    [Fact]
    public async Task Statuses_move_only_forward_even_when_they_arrive_before_and_out_of_order_with_their_message()
    {
        const string id = "wamid.outoforder";
        await PublishAsync(Status(id, DeliveryStatus.Read));
        await PublishAsync(Status(id, DeliveryStatus.Delivered));
        await PublishAsync(Status(id, DeliveryStatus.Sent));
        await PublishAsync(Message(id, "the message itself, late"));

        await WaitForMessagesAsync("16315551181", 1, externalId: id);
        Assert.Equal("read", await ScalarAsync<string>($"SELECT status FROM message_statuses WHERE external_id = '{id}'"));
    }

    [Fact]
    public async Task A_failed_status_keeps_metas_error_code_and_title()
    {
        const string id = "wamid.failing";
        await PublishAsync(Status(id, DeliveryStatus.Sent));
        await PublishAsync(Status(id, DeliveryStatus.Failed, new ChannelError(131047, "Re-engagement message", "More than 24 hours have passed", null, null)));

        var code = await Eventually.Get(
            () => ScalarOrDefaultAsync<int?>($"SELECT error_code FROM message_statuses WHERE external_id = '{id}' AND status = 'failed'"),
            c => c is not null, TimeSpan.FromSeconds(20), "the failed status");
        Assert.Equal(131047, code);
        Assert.Equal("Re-engagement message", await ScalarAsync<string>($"SELECT error_title FROM message_statuses WHERE external_id = '{id}'"));
    }

    [Fact]
    public async Task The_service_window_runs_24_hours_from_the_last_inbound_message()
    {
        var at = DateTimeOffset.UtcNow.AddHours(-3);
        var message = Message("wamid.window", "window please", contact: "919800000024", at: at);
        await PublishAsync(message);
        await WaitForMessagesAsync(message.ContactId, 1);

        var summary = await _cluster.Client.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(Tenant, Account, message.ContactId)).Summary();

        Assert.Equal(at.ToUnixTimeSeconds(), summary.LastInboundAt?.ToUnixTimeSeconds());
        Assert.Equal(at.AddHours(24).ToUnixTimeSeconds(), summary.WindowExpiresAt?.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_new_contact_becomes_a_lead_with_the_channel_as_source_and_the_same_phone_on_another_number_links_to_it()
    {
        var first = Message("wamid.lead.1", "hi", contact: "919811112222", name: "Priya Sharma");
        await PublishAsync(first);
        await WaitForMessagesAsync(first.ContactId, 1);
        var leadId = await Eventually.Get(
            () => ScalarOrDefaultAsync<string>("SELECT lead_id FROM conversations WHERE contact_id = '919811112222'"),
            l => l is not null, TimeSpan.FromSeconds(20), "the conversation's lead");

        await PublishAsync(Message("wamid.lead.2", "hi again", contact: "919811112222"), account: "ch_secondnumber0001");
        var secondLead = await Eventually.Get(
            () => ScalarOrDefaultAsync<string>("SELECT lead_id FROM conversations WHERE contact_id = '919811112222' AND channel_account_id = 'ch_secondnumber0001'"),
            l => l is not null, TimeSpan.FromSeconds(20), "the second conversation's lead");

        Assert.Equal(leadId, secondLead);
        Assert.Equal("+919811112222", await ScalarAsync<string>($"SELECT phone_e164 FROM leads WHERE id = '{leadId}'"));
        Assert.Equal("whatsapp", await ScalarAsync<string>($"SELECT source FROM leads WHERE id = '{leadId}'"));
        Assert.Equal("Priya Sharma", await ScalarAsync<string>($"SELECT display_name FROM leads WHERE id = '{leadId}'"));
    }

    [Fact]
    public async Task Messages_that_queued_up_behind_a_slow_commit_are_delivered_together_and_share_one_commit_in_stream_order()
    {
        const string contact = "919800000123";
        await PublishAsync(Message("wamid.queue.0", "first", contact));
        await WaitForMessagesAsync(contact, 1);

        // Hold the conversation's row so that its next write waits; what arrives meanwhile queues up in the pulling agent.
        await using var blocker = new NpgsqlConnection(_connectionString);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM conversations WHERE contact_id = '{contact}' FOR UPDATE", blocker, hold))
        {
            await lockRow.ExecuteScalarAsync();
        }
        for (var i = 1; i <= 20; i++) await PublishAsync(Message($"wamid.queue.{i}", $"message {i}", contact));
        await Task.Delay(1500);
        await hold.CommitAsync();

        await WaitForMessagesAsync(contact, 21);
        // The message that was waiting for the lock commits alone; the 19 behind it come in one delivery, one commit.
        Assert.True(await CountAsync($"SELECT count(DISTINCT xmin::text) FROM messages WHERE contact_id = '{contact}' AND external_id <> 'wamid.queue.0'") <= 2,
            "the messages that queued up were committed one delivery at a time");
        Assert.Equal(21L, await CountAsync($"SELECT count(DISTINCT external_id) FROM messages WHERE contact_id = '{contact}'"));
        Assert.Equal(21L, await CountAsync($"SELECT unread_count::bigint FROM conversations WHERE contact_id = '{contact}'"));
        var order = await ScalarAsync<string>($"SELECT string_agg(external_id, ',' ORDER BY id) FROM messages WHERE contact_id = '{contact}'");
        Assert.Equal(string.Join(',', Enumerable.Range(0, 21).Select(i => $"wamid.queue.{i}")), order);
    }

    [Fact]
    public async Task Stored_messages_are_searchable_with_full_text_search()
    {
        var message = Message("wamid.search", "Do you deliver sofas to Bengaluru on weekends?", contact: "919800000099");
        await PublishAsync(message);
        await WaitForMessagesAsync(message.ContactId, 1);

        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM messages WHERE search @@ plainto_tsquery('simple', 'sofas bengaluru')"));
    }

    [Fact]
    public async Task The_first_message_from_a_new_contact_commits_with_its_conversation_row_and_its_new_lead_in_one_transaction()
    {
        var message = Message("wamid.onecommit", "hello, first time here", contact: "919800000111");

        await PublishAsync(message);

        await WaitForMessagesAsync(message.ContactId, 1);
        // One transaction: now() is its start, so the message, its conversation row and the new lead share it. (Not xmin:
        // the lead's grain rescores the row once the message's engagement reaches it.)
        var sameTransaction = await ScalarAsync<bool>("""
            SELECT m.received_at = l.created_at AND c.created_at = l.created_at AND c.lead_id IS NOT NULL
            FROM messages m JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
            JOIN leads l ON l.tenant_id = c.tenant_id AND l.id = c.lead_id
            WHERE m.external_id = 'wamid.onecommit'
            """);
        Assert.True(sameTransaction);
        var key = ConversationKeys.GrainKey(Tenant, Account, message.ContactId);
        var summary = await _cluster.Client.GetGrain<IConversationGrain>(key).Summary();
        Assert.Equal(await ScalarAsync<string>("SELECT lead_id FROM conversations WHERE contact_id = '919800000111'"), summary.LeadId);
    }

    [Fact]
    public async Task A_resolved_conversation_reopens_in_the_commit_of_the_customer_message_that_reopens_it_and_writes_no_grain_state()
    {
        var contact = "919800000112";
        await PublishAsync(Message("wamid.reopen.1", "my order is late", contact: contact));
        await WaitForMessagesAsync(contact, 1);
        var grain = _cluster.Client.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(Tenant, Account, contact));
        var resolved = await grain.Apply(new ConversationChange(new ConversationActor("us_agent", OwnWorkOnly: false), Status: ConversationStatus.Resolved));
        Assert.Equal(ConversationChangeOutcome.Changed, resolved.Outcome);
        var stateVersion = $"SELECT max(version) FROM orleansstorage WHERE grainidextensionstring LIKE '%{ConversationKeys.GrainKey(Tenant, Account, contact)}%'";
        var versionBefore = await ScalarAsync<int>(stateVersion);

        await PublishAsync(Message("wamid.reopen.2", "it still has not come", contact: contact));

        await WaitForMessagesAsync(contact, 2);
        var (status, sameTransaction) = (await ScalarAsync<string>($"SELECT status FROM conversations WHERE contact_id = '{contact}'"),
            await ScalarAsync<bool>("""
                SELECT c.xmin::text = m.xmin::text FROM messages m JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
                WHERE m.external_id = 'wamid.reopen.2'
                """));
        Assert.Equal("open", status);
        Assert.True(sameTransaction);
        // Asked after the delivery's turn has ended: the reopen changed nothing in the grain's own state, so nothing was written there.
        Assert.Equal(ConversationStatus.Open, (await grain.Workflow())!.Status);
        Assert.Equal(versionBefore, await ScalarAsync<int>(stateVersion));
    }

    [Fact]
    public async Task A_repeated_message_to_a_resolved_conversation_does_not_reopen_it()
    {
        var contact = "919800000113";
        var first = Message("wamid.noreopen.1", "thanks, all good", contact: contact);
        await PublishAsync(first);
        await WaitForMessagesAsync(contact, 1);
        var key = ConversationKeys.GrainKey(Tenant, Account, contact);
        var grain = _cluster.Client.GetGrain<IConversationGrain>(key);
        await grain.Apply(new ConversationChange(new ConversationActor("us_agent", OwnWorkOnly: false), Status: ConversationStatus.Resolved));
        // Reactivated, so the repeat is not caught by the in-memory window but reaches the insert.
        await _cluster.DeactivateAsync(grain);

        await PublishAsync(first);
        await PublishAsync(Status("wamid.noreopen.1", DeliveryStatus.Read, contact: contact));

        await Eventually.Get(() => ScalarOrDefaultAsync<string>("SELECT status FROM message_statuses WHERE external_id = 'wamid.noreopen.1'"),
            s => s is not null, TimeSpan.FromSeconds(30), "the status after the repeat");
        Assert.Equal("resolved", await ScalarAsync<string>($"SELECT status FROM conversations WHERE contact_id = '{contact}'"));
    }

    private static ChannelMessage Message(string id, string text, string contact = "16315551181", string? name = "test user name", DateTimeOffset? at = null)
    {
        var json = MetaFixtures.WhatsAppMessages($$$"""{"from":"{{{contact}}}","id":"{{{id}}}","timestamp":"{{{(at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds()}}}","type":"text","text":{"body":"{{{text}}}"}}""");
        var parsed = (ChannelMessage)MetaWebhookParser.Parse(MetaFixtures.Utf8(json)).Events.Single();
        return parsed with { ContactName = name };
    }

    private static ChannelStatusUpdate Status(string id, DeliveryStatus status, ChannelError? error = null, string contact = "16315551181") => new(
        ChannelKind.WhatsApp, "27681414235104944", contact, DateTimeOffset.UtcNow,
        id, status, status.ToString().ToLowerInvariant(), error is null ? [] : [error], null, null, null, null, "{}");

    private Task PublishAsync(ChannelEvent item, string account = Account)
    {
        var key = ConversationKeys.GrainKey(Tenant, account, item.ContactId);
        var stream = _cluster.Client.GetStreamProvider(StreamProviders.Durable).GetStream<InboundChannelEvent>(StreamId.Create(StreamNamespaces.ChannelInbound, key));
        return stream.OnNextAsync(new InboundChannelEvent(Tenant, account, item, DateTimeOffset.UtcNow));
    }

    private async Task WaitForMessagesAsync(string contact, long count, string? externalId = null) =>
        await Eventually.Get(
            () => CountAsync($"SELECT count(*) FROM messages WHERE contact_id = '{contact}'" + (externalId is null ? "" : $" AND external_id = '{externalId}'")),
            c => c >= count, TimeSpan.FromSeconds(30), $"{count} message(s) from {contact}");

    private async Task<long> CountAsync(string sql) => await ScalarAsync<long>(sql);

    private async Task<T> ScalarAsync<T>(string sql) => (T)(await ScalarOrDefaultAsync<object>(sql))!;

    private async Task<T?> ScalarOrDefaultAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
