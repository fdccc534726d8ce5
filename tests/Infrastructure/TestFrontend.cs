using Flexoraa.FrontendApi.Hosting;
using Flexoraa.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// A real frontend host on a real Kestrel port, built by the same <see cref="FlexoraaApp"/> that <c>Program</c> runs.
/// With a connection string it is a cluster-mode frontend co-hosting a silo; without one it is local mode.
/// </summary>
public sealed class TestFrontend : IAsyncDisposable
{
    private TestFrontend(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    /// <summary>An anonymous client.</summary>
    public HttpClient Http { get; }

    public HttpClient NewClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    public IServiceProvider Services => App.Services;

    /// <summary>One key for every test host, so two frontends of one cluster accept each other's tokens.</summary>
    public static readonly string SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

    public static Task<TestFrontend> StartAsync(string? connectionString = null, string? dataDirectory = null, string? clusterId = null, params string[] extraArgs) =>
        StartAsync(connectionString, dataDirectory, clusterId, configure: null, extraArgs);

    public static async Task<TestFrontend> StartAsync(string? connectionString, string? dataDirectory, string? clusterId, Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            $"--Orleans:ClusterId={clusterId ?? "test-" + Guid.NewGuid().ToString("N")[..12]}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            $"--Flexoraa:Auth:SigningKey={SigningKey}",
            "--Flexoraa:RateLimits:AuthPerIpPerMinute=100000",
            "--Flexoraa:RateLimits:PerUserPerMinute=100000",
            "--Flexoraa:RateLimits:PerTenantPerMinute=100000",
            "--Flexoraa:RateLimits:FailedApiKeyLookupsPerIpPerMinute=100000",
            // Nothing a test does reaches Meta: a test that needs the Graph API passes its FakeGraphApi's address, which
            // wins over this closed loopback port (contact profiles are looked up for every Messenger conversation).
            "--Flexoraa:Meta:GraphApiBaseUrl=http://127.0.0.1:9",
        };
        if (connectionString is not null)
        {
            args.Add($"--ConnectionStrings:Postgres={connectionString}");
            args.Add("--Flexoraa:CoHostSilo=true");
        }
        if (dataDirectory is not null) args.Add($"--Flexoraa:DataDirectory={dataDirectory}");
        args.AddRange(extraArgs);
        return await BuildAndStartAsync(args, configure);
    }

    /// <summary>
    /// Local mode as <c>dotnet run</c> starts it: no Orleans ports or cluster id are given, so the host chooses its own
    /// (the other overloads pin them, for tests that start several hosts of one cluster).
    /// </summary>
    public static Task<TestFrontend> StartLocalAsync(string dataDirectory, params string[] extraArgs) => BuildAndStartAsync(
        [
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            $"--Flexoraa:Auth:SigningKey={SigningKey}",
            $"--Flexoraa:DataDirectory={dataDirectory}",
            .. extraArgs,
        ], configure: null);

    private static async Task<TestFrontend> BuildAndStartAsync(List<string> args, Action<WebApplicationBuilder>? configure)
    {
        var app = await FlexoraaApp.BuildAsync([.. args], configure);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // A host that failed to start (its port taken, say) must not leave its silo running for the rest of the run.
            await app.StopAsync();
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestFrontend(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        var database = App.Services.GetRequiredService<FlexoraaDatabase>();
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        // Orleans' ADO.NET providers connect through Npgsql's process-wide pools, which keep idle connections for minutes
        // after the host stops; with a database per test class those would pile up to the server's connection limit.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(database.ConnectionString));
    }
}
