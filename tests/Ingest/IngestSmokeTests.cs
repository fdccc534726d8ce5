using System.Globalization;
using System.Net;
using System.Text;
using Flexoraa.Channels.Meta;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Webhooks;

namespace Flexoraa.Tests.Ingest;

/// <summary>
/// A CI-sized ingest run: the pipeline the benchmark measures (signed webhook → durable stream → ConversationGrain →
/// InboxWriter → <c>messages</c>), driven concurrently, with Meta's habits thrown in — several messages in one POST,
/// the same POST retried, many contacts at once. It asserts correctness only: every acknowledged message is stored
/// exactly once. Speed lives in <c>bench/</c>.
/// </summary>
public sealed class IngestSmokeTests(IngestSmokeTests.Host host) : IClassFixture<IngestSmokeTests.Host>
{
    private const string AppSecret = "ingest-smoke-secret";

    public sealed class Host : DatabaseFrontend
    {
        protected override string[] Arguments => [$"--Flexoraa:Meta:AppSecret={AppSecret}"];
    }

    [Fact]
    public async Task Every_acknowledged_message_of_a_concurrent_run_with_batched_and_retried_webhooks_is_stored_exactly_once()
    {
        var owner = await TestUser.SignUpAsync(host.Frontend);
        var phoneNumberId = "5557" + RandomDigits(9);
        await SignedWebhookClient.ConnectAsync(owner, "whatsapp", phoneNumberId, AppSecret);
        var client = new SignedWebhookClient(host.Frontend, host.ConnectionString);
        var run = Guid.NewGuid().ToString("N")[..8];

        // 300 webhooks: most carry one message, every fifth carries ten; 120 contacts, so conversations get several
        // messages and many are new. Every seventh webhook is posted twice, as Meta does when an answer is slow.
        var webhooks = Enumerable.Range(0, 300).Select(w =>
        {
            var count = w % 5 == 0 ? 10 : 1;
            var ids = Enumerable.Range(0, count).Select(m => $"wamid.smoke.{run}.{w}.{m}").ToList();
            return (Ids: ids, Body: Webhook(phoneNumberId, ids, w), Repeat: w % 7 == 0);
        }).ToList();
        var posts = webhooks.SelectMany(w => w.Repeat ? new[] { w, w } : [w]).OrderBy(_ => Random.Shared.Next()).ToList();
        var statuses = new HttpStatusCode[posts.Count];

        await Parallel.ForEachAsync(Enumerable.Range(0, posts.Count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            using var response = await client.PostAsync("whatsapp", posts[i].Body, AppSecret);
            statuses[i] = response.StatusCode;
        });

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var expected = webhooks.Sum(w => w.Ids.Count);
        var stored = await Eventually.Get(
            () => client.CountAsync("SELECT count(*) FROM messages WHERE external_id LIKE @prefix", ("prefix", $"wamid.smoke.{run}.%")),
            n => n >= expected, TimeSpan.FromSeconds(90), $"{expected} messages to be stored");
        Assert.Equal(expected, stored);
        Assert.Equal(expected, await client.CountAsync("SELECT count(DISTINCT external_id) FROM messages WHERE external_id LIKE @prefix", ("prefix", $"wamid.smoke.{run}.%")));
        // A little later still exactly once: no redelivery adds a row after the count was reached.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(expected, await client.CountAsync("SELECT count(*) FROM messages WHERE external_id LIKE @prefix", ("prefix", $"wamid.smoke.{run}.%")));
        Assert.Equal(120, await client.CountAsync("SELECT count(*) FROM conversations WHERE channel_account_id IN (SELECT id FROM channel_accounts WHERE external_account_id = @account)", ("account", phoneNumberId)));
    }

    private static byte[] Webhook(string phoneNumberId, IReadOnlyList<string> ids, int webhook)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string Contact(int m) => (919800000000L + (webhook * 7 + m) % 120).ToString(CultureInfo.InvariantCulture);
        var contacts = string.Join(",", ids.Select((_, m) => Contact(m)).Distinct().Select(c => $$"""{"profile":{"name":"Smoke {{c}}"},"wa_id":"{{c}}"}"""));
        var messages = string.Join(",", ids.Select((id, m) => $$$"""{"from":"{{{Contact(m)}}}","id":"{{{id}}}","timestamp":"{{{now}}}","type":"text","text":{"body":"smoke {{{id}}}"}}"""));
        return Encoding.UTF8.GetBytes($$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"8856996819413533","changes":[{"value":{"messaging_product":"whatsapp",
            "metadata":{"display_phone_number":"15550009999","phone_number_id":"{{{phoneNumberId}}}"},"contacts":[{{{contacts}}}],"messages":[{{{messages}}}]},"field":"messages"}]}]}
            """);
    }

    private static string RandomDigits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + Random.Shared.Next(10))));
}
