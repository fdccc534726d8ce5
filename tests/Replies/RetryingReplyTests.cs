using System.Text.Json;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;

namespace Flexoraa.Tests.Replies;

/// <summary>
/// A reply Meta keeps refusing for now shows <c>retrying</c> with the last error, the attempts and the next try, and
/// <c>failed</c> after the give-up time. One attempt is one request here (no quick retries inside the call), the grain
/// waits 1 s then 4 s, and gives up on anything that would end more than 6 s after the reply was queued.
/// </summary>
public sealed class RetryingReplyTests(RetryingReplyTests.Host host) : IClassFixture<RetryingReplyTests.Host>
{
    public sealed class Host() : ReplyHost(
    [
        "--Flexoraa:Meta:GraphApiSendMaxRetries=0",
        "--Flexoraa:Outbound:RetryBaseDelay=00:00:01",
        "--Flexoraa:Outbound:GiveUpAfter=00:00:06",
    ]);

    private const string ServerErrorText = "(#2) An unexpected error has occurred. Please retry your request later.";

    [Fact]
    public async Task A_graph_api_answering_500_shows_retrying_with_attempts_next_try_and_a_clean_last_error_and_after_the_give_up_time_failed()
    {
        var tenant = await ReplyTenant.CreateAsync(host.Frontend, host.Graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551401", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551401");
        host.Graph.FailNextSends(2, 2, 2);

        var (_, view) = await ReplyTests.ReplyAsync(tenant.Owner.Http, conversation, new { text = "Your order ships today." });
        var id = view.GetProperty("id").GetInt64();

        var retrying = (await ReplyTests.WaitForStatusAsync(tenant.Owner.Http, conversation, id, "retrying")).GetProperty("status");
        Assert.Equal(ServerErrorText, retrying.GetProperty("lastError").GetString());
        Assert.InRange(retrying.GetProperty("attempts").GetInt32(), 1, 2);
        var next = retrying.GetProperty("nextAttemptAt").GetDateTimeOffset();
        Assert.InRange(next, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));

        var failed = (await ReplyTests.WaitForStatusAsync(tenant.Owner.Http, conversation, id, "failed")).GetProperty("status");
        Assert.Equal(2, failed.GetProperty("errorCode").GetInt32());
        Assert.Equal("An unexpected error has occurred. Please retry your request later.", failed.GetProperty("errorTitle").GetString());
        Assert.Equal(3, failed.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("nextAttemptAt").ValueKind);
        var lastError = failed.GetProperty("lastError").GetString()!;
        Assert.StartsWith("Gave up after 3 attempts over ", lastError, StringComparison.Ordinal);
        Assert.EndsWith("Last error: " + ServerErrorText, lastError, StringComparison.Ordinal);
        Assert.Equal(3, host.Graph.Sends.Count(s => s.Node == tenant.PhoneNumberId));
    }

    [Fact]
    public async Task A_rate_limited_reply_is_announced_on_the_hub_and_shows_retrying_then_sent_with_no_error_left_and_two_attempts()
    {
        var tenant = await ReplyTenant.CreateAsync(host.Frontend, host.Graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551402", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551402");
        await using var hub = await InboxClient.ConnectAsync(host.Frontend, tenant.Owner.AccessToken);
        host.Graph.FailNextSends(130429);

        var (_, view) = await ReplyTests.ReplyAsync(tenant.Owner.Http, conversation, new { text = "Back in stock." });
        var id = view.GetProperty("id").GetInt64();

        var (_, changed) = await hub.NextAsync((name, payload) => name == "MessageStatusChanged" && payload.GetProperty("status").GetProperty("status").GetString() == "retrying",
            TimeSpan.FromSeconds(20));
        Assert.Equal(view.GetProperty("externalId").GetString(), changed.GetProperty("externalId").GetString());
        var changedStatus = changed.GetProperty("status");
        Assert.Equal(1, changedStatus.GetProperty("attempts").GetInt32());
        Assert.StartsWith("(#130429) Rate limit hit: ", changedStatus.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.True(changedStatus.GetProperty("nextAttemptAt").GetDateTimeOffset() > changed.GetProperty("occurredAt").GetDateTimeOffset());

        var retrying = (await ReplyTests.WaitForStatusAsync(tenant.Owner.Http, conversation, id, "retrying")).GetProperty("status");
        Assert.Equal("(#130429) Rate limit hit: Message failed to send because there were too many messages sent from this phone number in a short period of time",
            retrying.GetProperty("lastError").GetString());
        Assert.Equal(1, retrying.GetProperty("attempts").GetInt32());

        var sent = (await ReplyTests.WaitForStatusAsync(tenant.Owner.Http, conversation, id, "sent")).GetProperty("status");
        Assert.Equal(2, sent.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("lastError").ValueKind);
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("nextAttemptAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("errorCode").ValueKind);
    }

    [Fact]
    public void An_error_line_has_no_stray_separators_whatever_part_of_it_is_unknown()
    {
        Assert.Equal("(#131056) Pair rate limit hit: Too many messages", Flexoraa.Outbound.OutboundErrors.Describe(131056, "Pair rate limit hit", " Too many messages "));
        Assert.Equal("(#2) Service unavailable", Flexoraa.Outbound.OutboundErrors.Describe(2, "Service unavailable", "Service unavailable"));
        Assert.Equal("Could not reach the Graph API", Flexoraa.Outbound.OutboundErrors.Describe(null, null, "Could not reach the Graph API"));
        Assert.Equal("(#4)", Flexoraa.Outbound.OutboundErrors.Describe(4, " ", null));
        Assert.Equal("Throttled", Flexoraa.Outbound.OutboundErrors.Describe(null, "Throttled:", ""));
    }
}
