using System.Net;
using System.Net.Sockets;

namespace Flexoraa.Tests.Replies;

/// <summary>A Graph API host that refuses connections: the reply certainly did not go out, so it is retried and says why.</summary>
public sealed class UnreachableGraphReplyTests(UnreachableGraphReplyTests.Host host) : IClassFixture<UnreachableGraphReplyTests.Host>
{
    public sealed class Host() : ReplyHost(
    [
        $"--Flexoraa:Meta:GraphApiBaseUrl=http://127.0.0.1:{ClosedPort()}",
        "--Flexoraa:Meta:GraphApiSendMaxRetries=0",
        "--Flexoraa:Outbound:RetryBaseDelay=00:00:02",
    ]);

    /// <summary>A loopback port that was free a moment ago and that nothing listens on.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task A_reply_while_the_graph_api_is_unreachable_shows_retrying_with_the_connection_error_and_the_next_try()
    {
        var tenant = await ReplyTenant.CreateAsync(host.Frontend, host.Graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551411", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551411");

        var (_, view) = await ReplyTests.ReplyAsync(tenant.Owner.Http, conversation, new { text = "Are you there?" });

        var status = (await ReplyTests.WaitForStatusAsync(tenant.Owner.Http, conversation, view.GetProperty("id").GetInt64(), "retrying")).GetProperty("status");
        var lastError = status.GetProperty("lastError").GetString()!;
        Assert.StartsWith("Could not reach the Graph API (", lastError, StringComparison.Ordinal);
        Assert.DoesNotContain(" : ", lastError, StringComparison.Ordinal);
        Assert.False(lastError.StartsWith(':') || lastError.StartsWith(' '), lastError);
        Assert.True(status.GetProperty("attempts").GetInt32() >= 1);
        Assert.True(status.GetProperty("nextAttemptAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(-10));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("errorCode").ValueKind);
    }
}
