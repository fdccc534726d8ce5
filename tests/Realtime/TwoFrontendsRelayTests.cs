using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Realtime;

/// <summary>Two frontend hosts, each co-hosting a silo of one cluster on one database: each relays to its own clients.</summary>
public sealed class TwoFrontendsRelayTests : IAsyncLifetime
{
    private TestFrontend _one = null!;
    private TestFrontend _two = null!;

    public async Task InitializeAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var clusterId = "realtime-" + Guid.NewGuid().ToString("N")[..8];
        var secret = $"--Flexoraa:Meta:AppSecret={InboxHubTests.DeploymentSecret}";
        _one = await TestFrontend.StartAsync(database, null, clusterId, secret, "--Orleans:ServiceId=realtime-test");
        _two = await TestFrontend.StartAsync(database, null, clusterId, secret, "--Orleans:ServiceId=realtime-test");
    }

    public async Task DisposeAsync()
    {
        await _two.DisposeAsync();
        await _one.DisposeAsync();
    }

    [Fact]
    public async Task A_client_on_each_host_gets_the_event_whichever_host_took_the_webhook()
    {
        var owner = await TestUser.SignUpAsync(_one);
        var channel = await WhatsAppTestChannel.ConnectAsync(_one, owner, InboxHubTests.DeploymentSecret);
        await using var onOne = await InboxClient.ConnectAsync(_one, owner.AccessToken);
        await using var onTwo = await InboxClient.ConnectAsync(_two, owner.AccessToken);

        await channel.ReceiveTextAsync("wamid.both.1", from: "919000000005", via: _one);
        await channel.ReceiveTextAsync("wamid.both.2", from: "919000000006", via: _two);

        // The two conversations are independent, so their events may come in either order; the sequence is the tenant's.
        var seenOnOne = await MessagesAsync(onOne);
        var seenOnTwo = await MessagesAsync(onTwo);
        Assert.Equal(["wamid.both.1", "wamid.both.2"], seenOnOne.Keys.Order());
        Assert.Equal(seenOnOne, seenOnTwo);
    }

    private static async Task<Dictionary<string, long>> MessagesAsync(InboxClient client)
    {
        var seen = new Dictionary<string, long>();
        while (seen.Count < 2)
        {
            var (_, payload) = await client.NextAsync((name, _) => name == "MessageReceived");
            seen[payload.GetProperty("externalId").GetString()!] = payload.GetProperty("sequence").GetInt64();
        }
        return seen;
    }
}
