using System.Net;
using System.Text;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Webhooks;

/// <summary>
/// The reference's text payloads of all three channels, with every field of the message in turn replaced by hostile
/// values (NUL, lone surrogates, invalid UTF-8, a 1 MB string, wrong types, huge and negative numbers, a duplicate key),
/// each body signed with the account's app secret and carrying a clean message of another contact beside the hostile
/// one. Every response is a 200 or a 4xx problem without internals; after a 200 every message the delivery held is
/// stored exactly once or dead-lettered with a reason, and the clean neighbour is stored exactly once.
/// </summary>
public sealed class HostileWebhookSweepTests(DatabaseFrontend host) : IClassFixture<DatabaseFrontend>
{
    private const string AppSecret = "the-sweep-tenants-app-secret";
    private const string Hole = "\"@@HOSTILE@@\"";
    private readonly SignedWebhookClient _client = new(host.Frontend, host.ConnectionString);

    /// <summary>Raw JSON values written into a field, as bytes so invalid UTF-8 can be among them; {n} makes strings unique.</summary>
    private static readonly (string Name, Func<int, byte[]> Value)[] HostileValues =
    [
        ("NUL", n => Utf8($"\"sweep.{n}.before\\u0000after\"")),
        ("raw NUL escape only", _ => Utf8("\"\\u0000\"")),
        ("lone high surrogate", n => Utf8($"\"sweep.{n}.\\ud800\"")),
        ("lone low surrogate", n => Utf8($"\"\\udc00sweep.{n}\"")),
        ("invalid UTF-8", n => [.. Utf8($"\"sweep.{n}."), 0xC3, 0x28, 0xFF, (byte)'"']),
        ("1 MB string", n => Utf8($"\"sweep.{n}.{new string('x', 1_000_000)}\"")),
        ("number", _ => Utf8("42")),
        ("huge number", _ => Utf8("99999999999999999999999999")),
        ("negative number", _ => Utf8("-1")),
        ("1e400", _ => Utf8("1e400")),
        ("object", _ => Utf8("{}")),
        ("array", _ => Utf8("[\"a\"]")),
        ("null", _ => Utf8("null")),
        ("true", _ => Utf8("true")),
    ];

    /// <summary>Per channel: its webhook path, the reference text payload with one field made a hole, and a clean neighbour event.</summary>
    private static IEnumerable<(string Channel, string Field, string Template)> Templates(string whatsAppAccount, string pageAccount, string instagramAccount)
    {
        string WhatsApp(string from, string id, string timestamp, string body, string name, string duplicate = "") =>
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"8856996819413533","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"16505553333","phone_number_id":"{{{whatsAppAccount}}}"},"contacts":[{"profile":{"name":{{{name}}}},"wa_id":"919200000001"},{"profile":{"name":"Neighbour"},"wa_id":"919200000002"}],"messages":[{"x_sweep":"@@MARK@@","from":{{{from}}},"id":{{{id}}},"timestamp":{{{timestamp}}},"text":{"body":{{{body}}}}{{{duplicate}}},"type":"text"},{"from":"919200000002","id":"@@CLEAN@@","timestamp":"1603059201","text":{"body":"clean neighbour"},"type":"text"}]},"field":"messages"}]}]}""";
        yield return ("whatsapp", "from", WhatsApp(Hole, "\"@@ID@@\"", "\"1603059201\"", "\"hello\"", "\"Kerry Fisher\""));
        yield return ("whatsapp", "id", WhatsApp("\"919200000001\"", Hole, "\"1603059201\"", "\"hello\"", "\"Kerry Fisher\""));
        yield return ("whatsapp", "timestamp", WhatsApp("\"919200000001\"", "\"@@ID@@\"", Hole, "\"hello\"", "\"Kerry Fisher\""));
        yield return ("whatsapp", "text.body", WhatsApp("\"919200000001\"", "\"@@ID@@\"", "\"1603059201\"", Hole, "\"Kerry Fisher\""));
        yield return ("whatsapp", "profile.name", WhatsApp("\"919200000001\"", "\"@@ID@@\"", "\"1603059201\"", "\"hello\"", Hole));
        yield return ("whatsapp", "duplicate text", WhatsApp("\"919200000001\"", "\"@@ID@@\"", "\"1603059201\"", "\"hello\"", "\"Kerry Fisher\"", ",\"text\":{\"body\":" + Hole + "}"));

        foreach (var (channel, objectName, account) in new[] { ("messenger", "page", pageAccount), ("instagram", "instagram", instagramAccount) })
        {
            string Messaging(string sender, string mid, string timestamp, string text, string duplicate = "") =>
                $$$"""{"object":"{{{objectName}}}","entry":[{"id":"{{{account}}}","time":1458692752478,"messaging":[{"x_sweep":"@@MARK@@","sender":{"id":{{{sender}}}},"recipient":{"id":"{{{account}}}"},"timestamp":{{{timestamp}}},"message":{"mid":{{{mid}}},"text":{{{text}}}{{{duplicate}}}}},{"sender":{"id":"PSID-neighbour"},"recipient":{"id":"{{{account}}}"},"timestamp":1458692752478,"message":{"mid":"@@CLEAN@@","text":"clean neighbour"}}]}]}""";
            yield return (channel, "sender.id", Messaging(Hole, "\"@@ID@@\"", "1458692752478", "\"hello\""));
            yield return (channel, "mid", Messaging("\"PSID-sweep\"", Hole, "1458692752478", "\"hello\""));
            yield return (channel, "timestamp", Messaging("\"PSID-sweep\"", "\"@@ID@@\"", Hole, "\"hello\""));
            yield return (channel, "text", Messaging("\"PSID-sweep\"", "\"@@ID@@\"", "1458692752478", Hole));
            yield return (channel, "duplicate text", Messaging("\"PSID-sweep\"", "\"@@ID@@\"", "1458692752478", "\"hello\"", ",\"text\":" + Hole));
        }
    }

    [Fact]
    public async Task Every_hostile_variant_is_answered_without_a_5xx_or_internals_and_every_acknowledged_message_is_stored_once_or_dead_lettered()
    {
        // One account of each channel: more than Trial allows.
        var owner = await (await TestUser.SignUpAsync(host.Frontend)).OnPlanAsync(host.Frontend, Flexoraa.Tenants.TenantPlan.Growth);
        await SignedWebhookClient.ConnectAsync(owner, "whatsapp", "555400001", AppSecret);
        await SignedWebhookClient.ConnectAsync(owner, "messenger", "555400002", AppSecret);
        await SignedWebhookClient.ConnectAsync(owner, "instagram", "555400003", AppSecret);

        var problems = new List<string>();
        var expectStored = new List<(string What, string ExternalId)>();
        var expectDeadLettered = new List<(string What, string Marker)>();
        var variants = 0;
        var acknowledged = 0;
        foreach (var (channel, field, template) in Templates("555400001", "555400002", "555400003"))
        {
            foreach (var (name, value) in HostileValues)
            {
                var n = variants++;
                var what = $"{channel} {field} = {name} (#{n})";
                var body = Fill(template, n, value(n));

                var response = await _client.PostAsync(channel, body, AppSecret);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500) problems.Add($"{what}: {(int)response.StatusCode}");
                if (text.Contains("   at ") || text.Contains("Exception") || text.Contains("Flexoraa.") || text.Contains("Npgsql") || text.Contains("Orleans"))
                {
                    problems.Add($"{what}: internals in the response: {text[..Math.Min(300, text.Length)]}");
                }
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    if ((int)response.StatusCode is < 400 or >= 500) problems.Add($"{what}: {(int)response.StatusCode}");
                    continue;
                }

                acknowledged++;
                // The parser is the oracle for what the delivery held; the assertion is that all of it reached storage.
                var batch = MetaWebhookParser.Parse(body);
                foreach (var message in batch.Events.OfType<ChannelMessage>()) expectStored.Add((what, message.ExternalMessageId));
                foreach (var rejected in batch.Rejected) expectDeadLettered.Add((what, Marker(n)));
                if (!batch.Events.OfType<ChannelMessage>().Any(m => m.ExternalMessageId == $"clean.{n}")) problems.Add($"{what}: the clean neighbour was not in the delivery");
            }
        }

        foreach (var (what, id) in expectStored)
        {
            var count = await Eventually.Get(
                () => _client.CountAsync("""
                    SELECT (SELECT count(*) FROM messages WHERE external_id = @id)
                         + (SELECT count(*) FROM inbox_dead_letters WHERE payload->>'externalMessageId' = @id)
                    """, ("id", id)),
                c => c >= 1, TimeSpan.FromSeconds(30), $"{what}: message {id[..Math.Min(60, id.Length)]} stored or dead-lettered");
            if (count != 1) problems.Add($"{what}: message {id[..Math.Min(60, id.Length)]} stored {count} times");
        }
        foreach (var (what, marker) in expectDeadLettered)
        {
            var count = await _client.CountAsync("SELECT count(*) FROM webhook_dead_letters WHERE position(@marker in payload::text) > 0 AND reason LIKE 'invalid item%'", ("marker", marker));
            if (count < 1) problems.Add($"{what}: rejected but not dead-lettered");
        }

        Assert.True(variants >= 200, $"only {variants} variants");
        Assert.True(acknowledged >= 50, $"only {acknowledged} variants were acknowledged, too few to prove storage");
        Assert.Empty(problems);
    }

    private static byte[] Fill(string template, int n, byte[] value)
    {
        var text = template.Replace("@@ID@@", $"sweep.{n}.id", StringComparison.Ordinal).Replace("@@CLEAN@@", $"clean.{n}", StringComparison.Ordinal)
            .Replace("@@MARK@@", Marker(n), StringComparison.Ordinal);
        var at = text.IndexOf(Hole, StringComparison.Ordinal);
        var before = Utf8(text[..at]);
        var after = Utf8(text[(at + Hole.Length)..]);
        return [.. before, .. value, .. after];
    }

    /// <summary>Written beside the hostile field (parsers ignore unknown fields), so a dead letter can be found whatever the field held.</summary>
    private static string Marker(int n) => $"sweep-marker-{n}-end";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
