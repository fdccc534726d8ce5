using System.Diagnostics;
using Flexoraa.FrontendApi.Realtime;
using Flexoraa.Streaming;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Flexoraa.Tests.Realtime;

/// <summary>
/// A frontend host killed with SIGKILL never unsubscribes from <c>tenant-updates</c>. Its subscription must not stay in
/// pub-sub with deliveries failing to it for ever, and the surviving host's clients must keep getting events promptly.
/// </summary>
public sealed class CrashedFrontendRelayTests
{
    /// <summary>Short, so the test sees the dead subscription dropped in seconds rather than the default ten.</summary>
    private const string MaxDeliveryTime = "--Orleans:LiveStreamMaxDeliveryTime=00:00:03";
    /// <summary>
    /// Far below the 30 s a delivery to the dead host waits for, so waiting on it would show; loose enough for a shared,
    /// busy test machine (a webhook normally reaches the client in 0.1–0.2 s here).
    /// </summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public Task A_killed_frontend_that_is_an_Orleans_client_is_dropped_from_the_tenant_stream_while_the_surviving_host_keeps_delivering_promptly() =>
        KillOneHostAsync(coHostSilo: false);

    [Fact]
    public Task A_killed_frontend_that_co_hosts_a_silo_is_dropped_from_the_tenant_stream_and_the_surviving_host_delivers_again() =>
        KillOneHostAsync(coHostSilo: true);

    private static async Task KillOneHostAsync(bool coHostSilo)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var clusterId = "crash-" + Guid.NewGuid().ToString("N")[..8];
        var secret = $"--Flexoraa:Meta:AppSecret={InboxHubTests.DeploymentSecret}";
        await using var survivor = await TestFrontend.StartAsync(database, null, clusterId, secret, MaxDeliveryTime);
        using var doomed = await FrontendProcess.StartAsync(database, clusterId, coHostSilo, secret, MaxDeliveryTime);

        var owner = await TestUser.SignUpAsync(survivor);
        var channel = await WhatsAppTestChannel.ConnectAsync(survivor, owner, InboxHubTests.DeploymentSecret);
        await using var onSurvivor = await InboxClient.ConnectAsync(survivor, owner.AccessToken);
        var onDoomed = await InboxClient.ConnectAsync(doomed.BaseAddress, owner.AccessToken);
        Assert.Equal(2, await SubscriptionsAsync(survivor, owner.TenantId));

        await channel.ReceiveTextAsync("wamid.crash.0", from: "919000000100");
        await onSurvivor.MessageReceivedAsync("wamid.crash.0");
        await onDoomed.MessageReceivedAsync("wamid.crash.0");

        doomed.Kill();
        await onDoomed.DisposeAsync();

        // A killed Orleans client takes nothing with it, so every event must stay prompt; its subscription goes once the
        // stream gives up on it (a 30 s response time-out, the delivery time, then the error notice's own time-out: about
        // a minute). A co-hosted silo takes its share of the queues and activations with it until the cluster declares it
        // dead (about 12 s here), so events may stall until then; Orleans itself then drops the dead silo's client.
        var deadline = DateTime.UtcNow.AddSeconds(coHostSilo ? 180 : 150);
        var next = 1;
        var subscriptions = 2;
        var slowest = TimeSpan.Zero;
        var deliveredSinceDrop = 0;
        while (deliveredSinceDrop < 5)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the dead host's subscription is still there ({subscriptions}) or events stopped ({deliveredSinceDrop} since)");
            var messageId = $"wamid.crash.{next++}";
            var sent = Stopwatch.StartNew();
            await channel.ReceiveTextAsync(messageId, from: "919000000100");
            await onSurvivor.MessageReceivedAsync(messageId, coHostSilo ? TimeSpan.FromSeconds(90) : TimeSpan.FromSeconds(10));
            var took = sent.Elapsed;
            if (subscriptions == 1)
            {
                deliveredSinceDrop++;
                // Once the dead subscription is gone, nothing of it may slow the survivor down.
                Assert.True(took < Prompt, $"{messageId} took {took.TotalMilliseconds:0} ms after the dead host was dropped");
            }
            else if (!coHostSilo)
            {
                slowest = took > slowest ? took : slowest;
            }
            subscriptions = await SubscriptionsAsync(survivor, owner.TenantId);
            await Task.Delay(200);
        }

        Assert.Equal(1, subscriptions);
        // While the dead client was still being retried, the survivor's deliveries did not wait for it either.
        Assert.True(slowest < Prompt, $"the survivor's slowest event while the dead host was still subscribed took {slowest.TotalMilliseconds:0} ms");
        // The survivor's own subscription was never mistaken for the dead one.
        Assert.Equal(0, survivor.Services.GetRequiredService<TenantUpdatesSubscriptions>().Resubscriptions);
    }

    /// <summary>Live subscriptions to the tenant's updates as pub-sub holds them (faulted ones excluded).</summary>
    internal static async Task<int> SubscriptionsAsync(TestFrontend frontend, string tenantId)
    {
        var provider = frontend.Services.GetRequiredService<IClusterClient>().GetStreamProvider(StreamProviders.Live);
        var manager = ((IStreamSubscriptionManagerRetriever)provider).GetStreamSubscriptionManager()!;
        var subscriptions = await manager.GetSubscriptions(StreamProviders.Live, StreamId.Create(StreamNamespaces.TenantUpdates, tenantId));
        return subscriptions.Count();
    }
}
