using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Flexoraa.FrontendApi.Hosting;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Foundation;

/// <summary>
/// Local mode exactly as <c>dotnet run --project frontend-api</c> runs it, but with the data directory in a temp folder:
/// no connection string, a private PostgreSQL started by the app, a co-hosted silo and a real Kestrel port.
/// </summary>
public sealed class LocalModeHostTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "flexoraa-localmode-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var leftover = new Flexoraa.Silo.Postgres.LocalPostgresServer(Path.Combine(_dataDirectory, "postgres"));
        await leftover.StopAsync(immediate: true);
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Local_mode_starts_its_own_postgres_serves_the_basics_and_a_second_run_finds_the_first_runs_data()
    {
        string tenantLocation;
        await using (var first = await TestFrontend.StartAsync(dataDirectory: _dataDirectory))
        {
            var database = first.Services.GetRequiredService<FlexoraaDatabase>();
            Assert.Equal(RunMode.Local, database.Mode);
            Assert.True(File.Exists(Path.Combine(_dataDirectory, "postgres", "data", "PG_VERSION")));

            Assert.Equal(HttpStatusCode.OK, (await first.Http.GetAsync("/healthz")).StatusCode);
            var ready = await first.Http.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            using (var readiness = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
            {
                Assert.Equal("healthy", readiness.RootElement.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
                Assert.Equal("healthy", readiness.RootElement.GetProperty("checks").GetProperty("cluster").GetProperty("status").GetString());
            }

            using (var openApi = JsonDocument.Parse(await first.Http.GetStringAsync("/openapi/v1.json")))
            {
                Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/api/v1/tenants/{tenantId}", out _));
            }
            Assert.Equal(HttpStatusCode.OK, (await first.Http.GetAsync("/scalar")).StatusCode);

            var owner = await TestUser.SignUpAsync(first, "owner@local.example", company: "Local Co");
            tenantLocation = $"/api/v1/tenants/{owner.TenantId}";
        }

        // The private server stopped with the app; the next start reuses the same data directory.
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "postgres", "data", "postmaster.pid")));
        await using var second = await TestFrontend.StartAsync(dataDirectory: _dataDirectory);
        var login = await second.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = "owner@local.example", password = TestUser.DefaultPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var again = TestUser.FromSession(second, "owner@local.example", await login.Content.ReadFromJsonAsync<JsonElement>());
        var tenant = await again.Http.GetFromJsonAsync<JsonElement>(tenantLocation);
        Assert.Equal("Local Co", tenant.GetProperty("profile").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_start_that_fails_after_postgres_started_stops_postgres_too_and_exits_with_2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var exitCode = await FlexoraaApp.RunAsync([
            $"--urls=http://127.0.0.1:{port}",
            $"--Flexoraa:DataDirectory={_dataDirectory}",
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            $"--Orleans:ClusterId=failed-start-{Guid.NewGuid():N}",
            "--Logging:LogLevel:Default=Warning",
        ]);

        Assert.Equal(2, exitCode);
        // PostgreSQL had been initialised and started before Kestrel found its port taken, and it is stopped again.
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "postgres", "data", "PG_VERSION")));
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "postgres", "data", "postmaster.pid")));
    }
}
