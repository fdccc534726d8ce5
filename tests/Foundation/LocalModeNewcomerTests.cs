using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Flexoraa.FrontendApi.Email;
using Flexoraa.FrontendApi.Hosting;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Flexoraa.Tests.Foundation;

/// <summary>
/// What a newcomer meets in local mode: it runs beside a cluster on Orleans' default ports, its emails link to where
/// it really listens and can be read from the API, and it does not call itself "Development".
/// </summary>
public sealed class LocalModeNewcomerTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "flexoraa-newcomer-" + Guid.NewGuid().ToString("N")[..12]);

    private string DataDirectory(string name) => Path.Combine(_root, name);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (!Directory.Exists(_root)) return;
        foreach (var data in Directory.GetDirectories(_root))
        {
            await new Flexoraa.Silo.Postgres.LocalPostgresServer(Path.Combine(data, "postgres")).StopAsync(immediate: true);
        }
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Two_local_mode_hosts_run_side_by_side_on_free_silo_ports_while_orleans_default_ports_are_taken()
    {
        // A cluster silo on this machine would hold these; when something else already does, the point stands.
        using var silo = TryListen(11111);
        using var gateway = TryListen(30000);

        await using var first = await TestFrontend.StartLocalAsync(DataDirectory("first"));
        await using var second = await TestFrontend.StartLocalAsync(DataDirectory("second"));

        var ports = new[] { EndpointsOf(first), EndpointsOf(second) };
        Assert.All(ports, p => Assert.DoesNotContain(p.SiloPort, new[] { 11111, 30000 }));
        Assert.All(ports, p => Assert.DoesNotContain(p.GatewayPort, new[] { 11111, 30000 }));
        Assert.Equal(4, ports.SelectMany(p => new[] { p.SiloPort, p.GatewayPort }).Distinct().Count());
        foreach (var host in new[] { first, second })
        {
            Assert.Equal(RunMode.Local, host.Services.GetRequiredService<FlexoraaDatabase>().Mode);
            Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/readyz")).StatusCode);
        }
    }

    [Fact]
    public async Task A_restarted_local_mode_host_takes_its_remembered_ports_again()
    {
        int siloPort, gatewayPort;
        await using (var first = await TestFrontend.StartLocalAsync(DataDirectory("restart")))
        {
            (siloPort, gatewayPort) = EndpointsOf(first);
        }

        await using var again = await TestFrontend.StartLocalAsync(DataDirectory("restart"));

        Assert.Equal((siloPort, gatewayPort), EndpointsOf(again));
        Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task The_local_outbox_shows_an_owner_the_invitation_with_a_link_to_the_address_the_host_listens_on()
    {
        await using var host = await TestFrontend.StartLocalAsync(DataDirectory("outbox"));
        var owner = await TestUser.SignUpAsync(host, "owner@outbox.example", company: "Outbox Co");
        var invited = await owner.Http.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/invitations", new { email = "new.agent@outbox.example", role = "member" });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);

        var outbox = await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/dev/outbox");

        var items = outbox.GetProperty("items").EnumerateArray().ToList();
        var invitation = Assert.Single(items, i => i.GetProperty("recipient").GetString() == "new.agent@outbox.example");
        var listening = host.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.DoesNotContain("localhost:5080", listening, StringComparison.Ordinal);
        Assert.Contains($"{listening}/invitations/accept?token=", invitation.GetProperty("body").GetString(), StringComparison.Ordinal);
        // The caller's own sign-up mail (no tenant yet when it was sent) is there too, linking to the same address.
        var signup = Assert.Single(items, i => i.GetProperty("subject").GetString() == "Confirm your Flexoraa sign-up");
        Assert.Contains($"{listening}/signup/confirm?token=", signup.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, invitation.GetProperty("sentAt").ValueKind);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.GetAsync("/api/v1/dev/outbox")).StatusCode);
        var tooMany = await owner.Http.GetAsync("/api/v1/dev/outbox?limit=1000");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("limit", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_mode_has_no_local_outbox_and_links_follow_the_configured_public_base_url()
    {
        await using var host = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), null, null, "--Flexoraa:Auth:PublicBaseUrl=https://app.example.com/");
        var owner = await TestUser.SignUpAsync(host);

        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync("/api/v1/dev/outbox")).StatusCode);
        var invited = await owner.Http.PostAsJsonAsync($"/api/v1/tenants/{owner.TenantId}/invitations", new { email = "agent@cluster.example", role = "member" });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        Assert.Contains("https://app.example.com/invitations/accept?token=", await TestUser.LastEmailToAsync(host, "agent@cluster.example"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_launch_profile_does_not_force_the_development_environment_so_release_runs_are_not_called_development()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Flexoraa.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var launch = File.ReadAllText(Path.Combine(root.FullName, "frontend-api", "Properties", "launchSettings.json"));

        Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT", launch, StringComparison.Ordinal);
        Assert.DoesNotContain("DOTNET_ENVIRONMENT", launch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_mode_host_started_without_an_environment_is_production_and_its_banner_says_local_mode_and_where_the_emails_are()
    {
        await using var host = await TestFrontend.StartLocalAsync(DataDirectory("banner"));
        var environment = host.Services.GetRequiredService<IHostEnvironment>().EnvironmentName;
        var expected = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production;
        Assert.Equal(expected, environment);

        var banner = new StartupBanner(RunMode.Local, true, [host.BaseAddress.GetLeftPart(UriPartial.Authority)], DataDirectory("banner"), HasSmtp: false).ToString();

        Assert.Contains("local mode", banner, StringComparison.Ordinal);
        Assert.DoesNotContain("Development", banner, StringComparison.Ordinal);
        Assert.Contains($"{host.BaseAddress.GetLeftPart(UriPartial.Authority)}/api/v1{LocalOutboxEndpoints.Path}", banner, StringComparison.Ordinal);
        Assert.DoesNotContain("dev/outbox", new StartupBanner(RunMode.Cluster, false, ["http://10.0.0.1:80"], "/data", HasSmtp: false).ToString(), StringComparison.Ordinal);
    }

    private static (int SiloPort, int GatewayPort) EndpointsOf(TestFrontend host)
    {
        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        return (endpoints.SiloPort, endpoints.GatewayPort);
    }

    private static TcpListener? TryListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            listener.Dispose();
            return null;
        }
    }
}
