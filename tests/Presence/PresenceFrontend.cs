using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Presence;

/// <summary>
/// A frontend with the deployment's Meta app (so <c>InboxTenant</c> webhooks are accepted) and presence timings short
/// enough to watch leases end: heartbeats every 300 ms, leases of 3 s.
/// </summary>
public sealed class PresenceFrontend : IAsyncLifetime
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    public TestFrontend Frontend { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), extraArgs:
        [
            $"--Flexoraa:Meta:AppSecret={MetaAppFrontend.AppSecret}",
            $"--Flexoraa:Meta:VerifyToken={MetaAppFrontend.VerifyToken}",
            "--Flexoraa:Presence:HeartbeatInterval=00:00:00.300",
            $"--Flexoraa:Presence:LeaseDuration={Lease:c}",
            "--Flexoraa:Presence:IdleAfter=01:00:00",
            "--Flexoraa:Presence:TypingThrottle=00:00:02",
            "--Flexoraa:Presence:TypingExpiresAfter=00:00:06",
        ]);

    public async Task DisposeAsync() => await Frontend.DisposeAsync();
}
