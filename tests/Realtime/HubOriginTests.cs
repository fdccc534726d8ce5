using System.Net;
using System.Net.WebSockets;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Realtime;

/// <summary>
/// CORS does not cover WebSockets, so the hub checks the browser's <c>Origin</c> itself: its own origin and the configured
/// ones connect, any other is refused before the upgrade, and clients that send no origin (servers, apps) are unaffected.
/// </summary>
public sealed class HubOriginTests(HubOriginTests.Host host) : IClassFixture<HubOriginTests.Host>
{
    private const string ConsoleOrigin = "https://console.example.com";

    private readonly TestFrontend _frontend = host.Frontend;

    public sealed class Host : DatabaseFrontend
    {
        protected override string[] Arguments => [$"--Flexoraa:Cors:AllowedOrigins:0={ConsoleOrigin}"];
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://console.example.com")]
    [InlineData("null")]
    public async Task A_websocket_upgrade_from_a_foreign_origin_is_refused_with_403(string origin)
    {
        var owner = await TestUser.SignUpAsync(_frontend);

        var status = await UpgradeAsync(owner, origin);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task A_negotiate_from_a_foreign_origin_is_a_403_problem_naming_the_setting()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/inbox/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Authorization = new("Bearer", owner.AccessToken);

        using var response = await _frontend.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Flexoraa:Cors:AllowedOrigins", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_configured_origin_the_hosts_own_origin_and_no_origin_at_all_connect()
    {
        var owner = await TestUser.SignUpAsync(_frontend);
        var own = _frontend.BaseAddress.GetLeftPart(UriPartial.Authority);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeAsync(owner, ConsoleOrigin));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeAsync(owner, own));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeAsync(owner, origin: null));
    }

    /// <summary>The status the server answered a raw WebSocket upgrade of the hub with, skipping SignalR's negotiate.</summary>
    private async Task<HttpStatusCode> UpgradeAsync(TestUser user, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        var uri = new UriBuilder(new Uri(_frontend.BaseAddress, "/hubs/inbox")) { Scheme = "ws", Query = $"access_token={Uri.EscapeDataString(user.AccessToken)}" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The refused upgrade; its status is kept below.
        }
        return socket.HttpStatusCode;
    }
}
