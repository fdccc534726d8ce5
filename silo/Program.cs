using Flexoraa.Silo.Hosting;
using Flexoraa.Silo.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A dedicated silo process for cluster mode. Without ConnectionStrings__Postgres it falls back to local mode's
// private database, which is handy for trying a second silo on one machine.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddFlexoraaLogLevelDefaults();
using var startupLogs = LoggerFactory.Create(l => l.AddFlexoraaConsole(builder.Configuration, jsonByDefault: false));
FlexoraaDatabase database;
try
{
    database = await FlexoraaDatabase.PrepareAsync(builder.Configuration, startupLogs);
}
catch (Flexoraa.Silo.Postgres.PostgresNotInstalledException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (Npgsql.NpgsqlException e)
{
    Console.Error.WriteLine($"Cannot reach PostgreSQL through ConnectionStrings:Postgres ({e.Message}). Check the server and the connection string.");
    return 2;
}

var settings = ClusterSettings.From(builder.Configuration);
if (database.Mode == RunMode.Local) settings = LocalSiloPorts.Choose(settings, builder.Configuration, database.DataDirectory);
builder.Logging.AddFlexoraaConsole(builder.Configuration, jsonByDefault: database.Mode == RunMode.Cluster);
builder.Services.AddFlexoraaDomain(database);
builder.Services.AddHostedService<LocalPostgresLifetime>();
builder.Services.AddFlexoraaTelemetry(builder.Configuration, "flexoraa-silo");
builder.UseOrleans(silo => silo.UseFlexoraaCluster(database.ConnectionString, settings));

var host = builder.Build();
Console.WriteLine($"Flexoraa silo · mode {database.Mode} · cluster {settings.ClusterId} · silo port {settings.SiloPort} · gateway {settings.GatewayPort} · data {database.DataDirectory}");
await host.RunAsync();
return 0;
