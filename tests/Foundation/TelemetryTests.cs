using System.Diagnostics;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Flexoraa.Tests.Foundation;

public sealed class TelemetryTests
{
    [Fact]
    public async Task A_request_is_traced_through_aspnetcore_orleans_and_npgsql()
    {
        var exported = new LockedCollection<Activity>();
        await using var frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), null, null,
            builder => builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(exported)));

        // Sign-up touches all three: the HTTP request, grain calls and PostgreSQL.
        await TestUser.SignUpAsync(frontend);

        var sources = await Eventually.Get(
            () => Task.FromResult(exported.Snapshot().Select(a => a.Source.Name).ToHashSet()),
            s => s.Contains("Microsoft.AspNetCore") && s.Contains("Npgsql") && s.Any(n => n.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20), "spans from ASP.NET Core, Orleans and Npgsql");
        Assert.Contains("Npgsql", sources);
    }
}
