using System.Net;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Team;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Realtime;

/// <summary>
/// The one window the relay cannot see: a member removed after their connect was authenticated but before this host
/// subscribed to their tenant's updates. The removal's event was published to a stream nobody here listened to yet, so
/// the hub asks the tenant grain once more for such connects.
/// </summary>
public sealed class MembershipRaceTests : IAsyncLifetime
{
    private readonly RemoveAfterCheck _removal = new();
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync()
    {
        _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), null, null,
            b => b.Services.AddSingleton<IOutgoingGrainCallFilter>(_removal), $"--Flexoraa:Meta:AppSecret={InboxHubTests.DeploymentSecret}");
        _removal.Grains = _frontend.Services.GetRequiredService<IGrainFactory>();
    }

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task A_member_removed_between_their_connects_authentication_and_the_hosts_first_subscription_is_disconnected()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Race Co");
        var member = await TeamInvites.JoinAsync(_frontend, owner, "sdr");
        // No connection of this tenant is open on the host, so the relay subscribes only once the member's connect is in.
        // The connect makes two membership checks (negotiate, then the WebSocket request); the member is removed right
        // after the second one answered "still a member".
        _removal.Arm(owner.TenantId, member.UserId, afterCalls: 2);

        InboxClient? client = null;
        try
        {
            client = await InboxClient.ConnectAsync(_frontend, member.AccessToken);
        }
        catch (Exception e) when (e is not TimeoutException and not Xunit.Sdk.XunitException)
        {
            // Closed while connecting: the server aborted the connection in OnConnectedAsync.
        }
        Assert.True(_removal.Removed, $"the member should have been removed during the connect ({_removal.Remaining} look-ups to go)");
        if (client is not null)
        {
            await using (client) await client.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.True(_removal.Removed, "the member should have been removed during the connect");
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => InboxClient.ConnectAsync(_frontend, member.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    /// <summary>Removes one member from their tenant right after the Nth membership look-up for them returns.</summary>
    private sealed class RemoveAfterCheck : IOutgoingGrainCallFilter
    {
        private string? _tenantId;
        private string? _userId;
        private int _remaining;

        public IGrainFactory? Grains { get; set; }

        public bool Removed { get; private set; }

        public int Remaining => _remaining;

        public void Arm(string tenantId, string userId, int afterCalls)
        {
            _tenantId = tenantId;
            _userId = userId;
            _remaining = afterCalls;
        }

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            // Read before the call: Orleans recycles the request (and its arguments) once the response is in.
            var lookedUp = context.MethodName == nameof(ITenantGrain.GetMember) ? context.Request.GetArgument(0) as string : null;
            await context.Invoke();
            if (lookedUp is null || lookedUp != _userId) return;
            var userId = lookedUp;
            if (Interlocked.Decrement(ref _remaining) != 0) return;
            var outcome = await Grains!.GetGrain<ITenantGrain>(_tenantId!).RemoveMember(userId);
            Removed = outcome == MembershipOutcome.Done;
        }
    }
}
