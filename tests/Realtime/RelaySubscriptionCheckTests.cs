using Flexoraa.FrontendApi.Realtime;
using Flexoraa.Streaming;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Flexoraa.Tests.Realtime;

/// <summary>The relay's answer to the cluster dropping its subscription (as the silos do to a host they cannot reach).</summary>
public sealed class RelaySubscriptionCheckTests(InboxHubTests.Host host) : IClassFixture<InboxHubTests.Host>
{
    private readonly TestFrontend _frontend = host.Frontend;

    [Fact]
    public async Task A_host_whose_subscription_was_dropped_by_the_cluster_subscribes_again_and_its_clients_get_the_next_events()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var channel = await WhatsAppTestChannel.ConnectAsync(_frontend, owner, InboxHubTests.DeploymentSecret);
        await using var client = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);
        var relay = _frontend.Services.GetRequiredService<TenantUpdatesSubscriptions>();
        var before = relay.Resubscriptions;

        var provider = _frontend.Services.GetRequiredService<IClusterClient>().GetStreamProvider(StreamProviders.Live);
        var manager = ((IStreamSubscriptionManagerRetriever)provider).GetStreamSubscriptionManager()!;
        var streamId = StreamId.Create(StreamNamespaces.TenantUpdates, owner.TenantId);
        var dropped = Assert.Single(await manager.GetSubscriptions(StreamProviders.Live, streamId));
        await manager.RemoveSubscription(StreamProviders.Live, streamId, dropped.SubscriptionId);

        Assert.True(await relay.CheckSubscriptionsAsync());
        Assert.Equal(before + 1, relay.Resubscriptions);
        Assert.NotEqual(dropped.SubscriptionId, Assert.Single(await manager.GetSubscriptions(StreamProviders.Live, streamId)).SubscriptionId);

        await channel.ReceiveTextAsync("wamid.resubscribed.1", from: "919000000201");
        await client.MessageReceivedAsync("wamid.resubscribed.1");
        Assert.False(await relay.CheckSubscriptionsAsync());
    }
}
