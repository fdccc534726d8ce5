using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.Conversations;
using Flexoraa.FrontendApi.Platform.OpenApi;
using Flexoraa.Streaming;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Orleans.Runtime;

namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// <c>/webhooks/whatsapp</c>, <c>/webhooks/messenger</c>, <c>/webhooks/instagram</c>: Meta's verification handshake (GET)
/// and event delivery (POST). A POST is answered 200 only after every event in it is durable on the
/// <c>channel-inbound</c> stream, and 503 when that cannot be done, so Meta retries instead of losing messages. A part of
/// the body that cannot be used (malformed, or for an account no tenant owns) is kept in <c>webhook_dead_letters</c> with its
/// JSON path and the reason, and the rest of the delivery is still accepted.
/// </summary>
public static class MetaWebhookEndpoints
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapMetaWebhooks(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/webhooks").WithTags("Webhooks").AllowAnonymous();
        webhooks.MapGet("/{channel}", Verify).WithName("VerifyMetaWebhook").Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status403Forbidden)
            .WithQueryParameter("hub.mode", "Always 'subscribe'.", required: true)
            .WithQueryParameter("hub.verify_token", "The verify token configured for this channel in Meta's app dashboard.", required: true)
            .WithQueryParameter("hub.challenge", "The value to echo back, as text/plain.", required: true)
            .WithSummary("Meta's subscription handshake: echoes hub.challenge when hub.verify_token matches");
        webhooks.MapPost("/{channel}", Receive).WithName("ReceiveMetaWebhook").Accepts<MetaWebhookNotification>("application/json").ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithRequestHeader(MetaWebhookSignature.HeaderName, "'sha256=' and the hex HMAC-SHA256 of the raw body with the Meta app secret.", required: true)
            .WithSummary("Meta webhook events, signed with X-Hub-Signature-256; 200 once every event is durable, 503 (retry) when that cannot be done");
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Verify(
        string channel, HttpRequest request, IMetaAppCredentials credentials, CancellationToken cancellationToken)
    {
        if (ParseChannel(channel) is not { } kind) return UnknownChannel(channel);
        var mode = request.Query["hub.mode"].ToString();
        var token = request.Query["hub.verify_token"].ToString();
        var challenge = request.Query["hub.challenge"].ToString();
        if (mode != "subscribe" || token.Length == 0 || !await credentials.IsVerifyTokenAsync(kind, token, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Verification refused",
                detail: "hub.mode must be 'subscribe' and hub.verify_token must match a configured verify token.");
        }
        return TypedResults.Text(challenge, "text/plain");
    }

    private static async Task<Results<Ok<string>, ProblemHttpResult>> Receive(
        string channel, HttpRequest request, IMetaAppCredentials credentials, ChannelAccountOwnerCache owners, WebhookDeadLetters deadLetters,
        WhatsAppContactDirectory whatsAppContacts, IClusterClient cluster, TimeProvider clock, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (ParseChannel(channel) is not { } kind) return UnknownChannel(channel);

        // The signature covers the exact bytes Meta sent, so read them raw and check before parsing anything.
        var body = await ReadBodyAsync(request, cancellationToken);
        var header = request.Headers[MetaWebhookSignature.HeaderName].ToString();
        string? signedWith = null;
        foreach (var secret in await credentials.AppSecretsAsync(kind, cancellationToken))
        {
            if (new MetaWebhookSignature(secret).Verify(body.Span, header))
            {
                signedWith = secret;
                break;
            }
        }
        if (signedWith is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Bad signature",
                detail: $"{MetaWebhookSignature.HeaderName} is missing or is not the HMAC-SHA256 of the body with a configured app secret.");
        }

        MetaWebhookBatch batch;
        try
        {
            batch = MetaWebhookParser.Parse(body);
        }
        catch (MetaWebhookFormatException e)
        {
            // Only a body that is not a Meta webhook at all gets here (not JSON, an unknown object, no entry array). A
            // malformed item inside a webhook comes back in batch.Rejected and is dead-lettered below, so its valid
            // siblings are stored and Meta, answered 200, does not retry the whole delivery forever.
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed webhook", detail: e.Message);
        }

        // Nothing is published unless the whole request is acceptable, so a rejected request leaves nothing behind.
        if (batch.Events.FirstOrDefault(e => e.Channel != kind) is { } misplaced)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Wrong endpoint",
                detail: $"A {misplaced.Channel} event was posted to /webhooks/{channel}.");
        }

        var logger = logs.CreateLogger("Flexoraa.Webhooks");
        var fingerprint = AppSecretFingerprint.Of(signedWith);
        var streams = cluster.GetStreamProvider(StreamProviders.Durable);
        var receivedAt = clock.GetUtcNow();
        try
        {
            var publishes = new List<Task>(batch.Events.Length);
            var unusable = new List<WebhookDeadLetter>();
            foreach (var rejected in batch.Rejected)
            {
                unusable.Add(new WebhookDeadLetter(rejected.AccountId, $"invalid item at {rejected.Path}: {rejected.Reason}", rejected.RawJson));
            }
            foreach (var parsed in batch.Events)
            {
                var item = parsed;
                var owner = await owners.ResolveAsync(kind, item.AccountId);
                if (owner is null || owner.AppSecretFingerprint != fingerprint)
                {
                    var reason = owner is null ? "no tenant owns this account" : "signed by a different Meta app than the account's";
                    unusable.Add(new WebhookDeadLetter(item.AccountId, reason, RawJsonOf(item)));
                    continue;
                }

                // A customer named by BSUID alone belongs to their wa_id's conversation once that is known.
                item = await whatsAppContacts.RouteAsync(owner.TenantId, owner.ChannelAccountId, item, cancellationToken);
                var key = ConversationKeys.GrainKey(owner.TenantId, owner.ChannelAccountId, item.ContactId);
                var stream = streams.GetStream<InboundChannelEvent>(StreamId.Create(StreamNamespaces.ChannelInbound, key));
                publishes.Add(stream.OnNextAsync(new InboundChannelEvent(owner.TenantId, owner.ChannelAccountId, item, receivedAt)));
            }
            foreach (var error in batch.AccountErrors)
            {
                logger.LogWarning("Meta reported error {Code} ({Title}) for {Channel} account {Account}", error.Error.Code, error.Error.Title, error.Channel, error.AccountId);
            }
            // All of a request's dead letters in one transaction, so thousands of bad items cost one round trip, not thousands.
            await deadLetters.KeepAsync(channel, fingerprint, unusable, cancellationToken);
            // Meta gives up on a webhook after about 20 s and retries it later; answering 503 sooner frees the connection.
            await Task.WhenAll(publishes).WaitAsync(PublishTimeout, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OrleansException or InvalidOperationException)
        {
            logger.LogWarning(e, "Could not make a {Channel} webhook durable; answering 503 so Meta retries", channel);
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Temporarily unavailable",
                detail: "The event could not be stored; Meta will retry the delivery.");
        }
        return TypedResults.Ok("EVENT_RECEIVED");
    }

    private static string RawJsonOf(ChannelEvent item) => item switch
    {
        ChannelMessage m => m.RawJson,
        ChannelStatusUpdate s => s.RawJson,
        _ => System.Text.Json.JsonSerializer.Serialize(new { item.AccountId, item.ContactId, item.OccurredAt, type = item.GetType().Name }),
    };

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static ChannelKind? ParseChannel(string channel) => ChannelKindNames.TryParse(channel, out var kind) ? kind : null;

    private static ProblemHttpResult UnknownChannel(string channel) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown channel", detail: $"There is no webhook for '{channel}'; use whatsapp, messenger or instagram.");
}
