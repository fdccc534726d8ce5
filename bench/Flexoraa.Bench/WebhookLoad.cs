using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Flexoraa.Channels.Meta;

namespace Flexoraa.Bench;

/// <summary>
/// Sends signed WhatsApp text webhooks (each message with a unique id, <c>PerWebhook</c> messages a webhook) over many
/// connections: at a fixed rate or flat out.
/// Records when each was sent and when its 200 came back.
/// </summary>
public sealed class WebhookLoad(Uri target, string appSecret, string phoneNumberId, LoadOptions options, string runId)
{
    public string MessageId(int i) => $"wamid.bench.{runId}.{i}";

    public async Task<LoadResult> RunAsync()
    {
        var signer = new MetaWebhookSignature(appSecret);
        var webhooks = options.Webhooks;
        var bodies = new byte[webhooks][];
        var signatures = new string[webhooks];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        for (var w = 0; w < webhooks; w++)
        {
            var indexes = Enumerable.Range(w * options.PerWebhook, options.PerWebhook).Where(i => i < options.Messages).ToList();
            string Contact(int i) => (919000000000L + i % options.Contacts).ToString(CultureInfo.InvariantCulture);
            var contacts = string.Join(",", indexes.Select(Contact).Distinct().Select(c => $"{{\"profile\":{{\"name\":\"Bench {c}\"}},\"wa_id\":\"{c}\"}}"));
            var messages = string.Join(",", indexes.Select(i =>
                $"{{\"from\":\"{Contact(i)}\",\"id\":\"{MessageId(i)}\",\"timestamp\":\"{now}\",\"type\":\"text\",\"text\":{{\"body\":\"benchmark message {i} about pricing and delivery\"}}}}"));
            var json = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"200000000000001\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\"," +
                $"\"metadata\":{{\"display_phone_number\":\"15550001111\",\"phone_number_id\":\"{phoneNumberId}\"}}," +
                $"\"contacts\":[{contacts}],\"messages\":[{messages}]}},\"field\":\"messages\"}}]}}]}}";
            bodies[w] = Encoding.UTF8.GetBytes(json);
            signatures[w] = signer.Compute(bodies[w]);
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = target,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var sentAt = new DateTimeOffset[webhooks];
        var ackedAt = new DateTimeOffset[webhooks];
        var status = new int[webhooks];
        var next = -1;
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;

        async Task Worker()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= webhooks) return;
                if (options.RatePerSecond > 0)
                {
                    // Open-loop pacing: message i is due at i / rate seconds, whatever happened to earlier ones.
                    var due = TimeSpan.FromSeconds((double)i / options.RatePerSecond);
                    var wait = due - clock.Elapsed;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait);
                }
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = content };
                request.Headers.Add(MetaWebhookSignature.HeaderName, signatures[i]);
                sentAt[i] = DateTimeOffset.UtcNow;
                try
                {
                    using var response = await http.SendAsync(request);
                    status[i] = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status[i] = -1;
                }
                ackedAt[i] = DateTimeOffset.UtcNow;
            }
        }

        var workers = Enumerable.Range(0, options.RatePerSecond > 0 ? Math.Max(options.Connections, 256) : options.Connections).Select(_ => Task.Run(Worker));
        await Task.WhenAll(workers);
        return new LoadResult(started, DateTimeOffset.UtcNow, sentAt, ackedAt, status, options.PerWebhook);
    }
}

/// <summary>Per webhook: when it was sent, when its answer came and the status; message i is in webhook i / PerWebhook.</summary>
public sealed record LoadResult(DateTimeOffset Started, DateTimeOffset Finished, DateTimeOffset[] SentAt, DateTimeOffset[] AckedAt, int[] Status, int PerWebhook = 1)
{
    /// <summary>Acknowledged messages (not webhooks).</summary>
    public int Accepted => Status.Count(s => s == (int)HttpStatusCode.OK) * PerWebhook;
    public double AckedPerSecond => Accepted / (Finished - Started).TotalSeconds;
}
