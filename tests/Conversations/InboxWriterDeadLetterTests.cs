using System.Collections.Immutable;
using Flexoraa.Channels;
using Flexoraa.Conversations;
using Flexoraa.ReadModels;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Flexoraa.Tests.Conversations;

/// <summary>
/// <see cref="InboxWriter"/> on a real PostgreSQL, as the application role: a write PostgreSQL refuses for good is
/// dead-lettered once with its reason and completed, and it does not take the other conversations' writes that shared
/// its group commit down with it.
/// </summary>
public sealed class InboxWriterDeadLetterTests : IAsyncLifetime, IAsyncDisposable
{
    private string _connectionString = null!;
    private NpgsqlDataSource _app = null!;
    private InboxWriter _writer = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        var database = await FlexoraaDatabase.ConnectAsync(_connectionString, NullLoggerFactory.Instance);
        _app = NpgsqlDataSource.Create(database.AppConnectionString);
        _writer = new InboxWriter(new TenantDatabase(_app), NullLogger<InboxWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None);
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task One_unstorable_message_among_other_conversations_writes_is_dead_lettered_once_and_every_other_write_commits()
    {
        // Built directly, not parsed, so it still holds what the parsers now normalise away: the original failure.
        var poison = Append("tn_poisontenant00001", "cv_poison", Message("wamid.poison", "before\0after", "919800000000"));
        var good = Enumerable.Range(1, 40)
            .Select(i => Append(i % 2 == 0 ? "tn_poisontenant00001" : "tn_othertenant000001", $"cv_good{i}", Message($"wamid.good.{i}", $"hello {i}", $"9198000{i:00000}")))
            .ToList();

        var all = good.Take(20).Append(poison).Concat(good.Skip(20)).ToList();
        var outcomes = await Task.WhenAll(all.Select(_writer.WriteAsync));

        Assert.Equal([.. Enumerable.Repeat(true, 20), false, .. Enumerable.Repeat(true, 20)], outcomes);
        Assert.All(good, w => Assert.Null(w.DeadLetterReason));
        Assert.StartsWith("22021", poison.DeadLetterReason);
        Assert.Equal(40L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE external_id LIKE 'wamid.good.%'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE external_id = 'wamid.poison'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM inbox_dead_letters"));
        Assert.Equal("tn_poisontenant00001", await ScalarAsync<string>("SELECT tenant_id FROM inbox_dead_letters"));
        Assert.Equal("AppendMessageWrite", await ScalarAsync<string>("SELECT write_kind FROM inbox_dead_letters"));
        Assert.Equal("wamid.poison", await ScalarAsync<string>("SELECT payload->>'externalMessageId' FROM inbox_dead_letters"));
        Assert.Equal("before\\u0000after", await ScalarAsync<string>("SELECT payload->>'text' FROM inbox_dead_letters"));
    }

    [Fact]
    public async Task A_refused_write_alone_in_its_batch_is_dead_lettered_too_and_the_next_write_of_its_conversation_commits()
    {
        var poison = Append("tn_alonetenant000001", "cv_alone", Message("wamid.alone.bad", "x\0", "919811111111"));
        Assert.False(await _writer.WriteAsync(poison));

        var next = Append("tn_alonetenant000001", "cv_alone", Message("wamid.alone.next", "the next one", "919811111111"));
        Assert.True(await _writer.WriteAsync(next));

        Assert.NotNull(poison.DeadLetterReason);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM inbox_dead_letters WHERE payload->>'externalMessageId' = 'wamid.alone.bad'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE external_id = 'wamid.alone.next'"));
    }

    [Fact]
    public async Task Stopping_commits_the_writes_already_queued_and_refuses_new_ones()
    {
        var queued = Enumerable.Range(1, 30)
            .Select(i => Append("tn_stoppingtenant001", $"cv_stop{i}", Message($"wamid.stop.{i}", $"before the stop {i}", $"9197000{i:00000}")))
            .ToList();
        foreach (var write in queued) await _writer.SubmitAsync(write);

        await _writer.StopAsync(CancellationToken.None);

        Assert.All(await Task.WhenAll(queued.Select(w => w.Outcome)), Assert.True);
        Assert.Equal(30L, await ScalarAsync<long>("SELECT count(*) FROM messages WHERE external_id LIKE 'wamid.stop.%'"));
        var late = Append("tn_stoppingtenant001", "cv_late", Message("wamid.stop.late", "after the stop", "919799999999"));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => _writer.WriteAsync(late));
    }

    [Fact]
    public async Task A_carried_write_commits_in_the_transaction_of_the_write_carrying_it_however_the_queue_is_cut_into_batches()
    {
        // More than two batches' worth, so batch boundaries fall between many neighbours.
        var pairs = Enumerable.Range(1, 2 * InboxWriter.MaxBatch + 50)
            .Select(i =>
            {
                var append = Append("tn_carrytenant000001", $"cv_carry{i}", Message($"wamid.carry.{i}", $"hello {i}", $"9196000{i:00000}"));
                var link = ContactLeadLinks.Write("tn_carrytenant000001", $"cv_carry{i}", ChannelKind.WhatsApp, $"9196000{i:00000}", $"Carry {i}");
                append.Carry(link);
                return (append, link);
            })
            .ToList();

        foreach (var (append, _) in pairs) await _writer.SubmitAsync(append);

        Assert.All(await Task.WhenAll(pairs.Select(p => p.append.Outcome)), Assert.True);
        Assert.All(await Task.WhenAll(pairs.Select(p => p.link.Outcome)), Assert.True);
        Assert.All(pairs, p => Assert.StartsWith("ld_", p.link.LeadId));
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM messages m JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
            LEFT JOIN leads l ON l.tenant_id = c.tenant_id AND l.id = c.lead_id
            WHERE m.external_id LIKE 'wamid.carry.%' AND (l.id IS NULL OR l.xmin::text <> m.xmin::text)
            """));
    }

    private static AppendMessageWrite Append(string tenant, string conversation, ChannelMessage message) =>
        new(tenant, conversation, "ch_account000000001", message);

    private static ChannelMessage Message(string id, string text, string contact) => new(
        ChannelKind.WhatsApp, "27681414235104944", contact, DateTimeOffset.UtcNow,
        ExternalMessageId: id, Direction: MessageDirection.Inbound, Kind: MessageKind.Text, ContactName: null, Text: text,
        Attachments: ImmutableArray<MediaReference>.Empty, Location: null, Reaction: null, Reply: null, Interactive: null,
        ContactsJson: null, Order: null, Referral: null, Errors: [], RawJson: "{}");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
