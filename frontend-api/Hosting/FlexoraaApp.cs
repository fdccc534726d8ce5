using Flexoraa.FrontendApi.Accounts;
using Flexoraa.FrontendApi.Accounts.Google;
using Flexoraa.FrontendApi.ApiKeys;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.CannedResponses;
using Flexoraa.FrontendApi.Channels;
using Flexoraa.FrontendApi.Conversations;
using Flexoraa.FrontendApi.Email;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Leads;
using Flexoraa.FrontendApi.Leads.Import;
using Flexoraa.FrontendApi.Leads.Scoring;
using Flexoraa.FrontendApi.Media;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Platform.OpenApi;
using Flexoraa.FrontendApi.Presence;
using Flexoraa.FrontendApi.Realtime;
using Flexoraa.FrontendApi.Team;
using Flexoraa.FrontendApi.Tenants;
using Flexoraa.FrontendApi.Webhooks;
using Flexoraa.Silo.Hosting;
using Flexoraa.Silo.Postgres;
using Flexoraa.Silo.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

namespace Flexoraa.FrontendApi.Hosting;

/// <summary>
/// Builds the frontend host. <c>Program</c> runs it; the tests build it the same way with their own arguments
/// and a real Kestrel port, so what is tested is what runs.
/// </summary>
public static class FlexoraaApp
{
    public const string DefaultUrl = "http://localhost:5080";

    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddFlexoraaLogLevelDefaults();
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        using var startupLogs = LoggerFactory.Create(l => l.AddFlexoraaConsole(builder.Configuration, jsonByDefault: false).SetMinimumLevel(LogLevel.Information));
        var database = await FlexoraaDatabase.PrepareAsync(builder.Configuration, startupLogs);
        try
        {
            return Build(builder, database, startupLogs, configure);
        }
        catch
        {
            // Nothing owns local mode's PostgreSQL until the host is built.
            await database.DisposeAsync();
            throw;
        }
    }

    private static WebApplication Build(WebApplicationBuilder builder, FlexoraaDatabase database, ILoggerFactory startupLogs, Action<WebApplicationBuilder>? configure)
    {
        var settings = ClusterSettings.From(builder.Configuration);
        if (database.Mode == RunMode.Local) settings = LocalSiloPorts.Choose(settings, builder.Configuration, database.DataDirectory);
        var coHostSilo = database.Mode == RunMode.Local || builder.Configuration.GetValue("Flexoraa:CoHostSilo", false);

        builder.Logging.AddFlexoraaConsole(builder.Configuration, jsonByDefault: database.Mode == RunMode.Cluster);
        builder.Services.AddFlexoraaDomain(database);
        // Registered before Orleans: hosted services stop in reverse order, so the database outlives the silo.
        builder.Services.AddHostedService<LocalPostgresLifetime>();

        if (coHostSilo) builder.UseOrleans(silo => silo.UseFlexoraaCluster(database.ConnectionString, settings));
        else builder.UseOrleansClient(client => client.UseFlexoraaCluster(database.ConnectionString, settings));

        builder.Services.AddFlexoraaTelemetry(builder.Configuration, "flexoraa-frontend", tracing: t => t.AddAspNetCoreInstrumentation(), metrics: m => m.AddAspNetCoreInstrumentation());
        AddApiBasics(builder);
        builder.AddFlexoraaIdentity(database, startupLogs.CreateLogger("Flexoraa.Startup"));
        builder.AddFlexoraaChannels();
        builder.AddFlexoraaRealtime();
        builder.Services.AddFlexoraaConversations();
        builder.Services.AddFlexoraaLeads();
        configure?.Invoke(builder);

        var app = builder.Build();
        MapApi(app, database.Mode);
        PrintBannerOnStart(app, database, coHostSilo);
        return app;
    }

    private static void AddApiBasics(WebApplicationBuilder builder)
    {
        var bodyLimits = RequestBodyLimits.From(builder.Configuration);
        builder.Services.AddSingleton(bodyLimits);
        builder.Services.AddSingleton<EmailLinks>();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = bodyLimits.ApiBytes);
        // The hub's protocol gets the same configuration (RealtimeSetup), so REST and the hub spell everything alike.
        builder.Services.Configure<JsonOptions>(o => Flexoraa.Api.ApiJson.Configure(o.SerializerOptions));
        // Throwing lets ApiExceptionHandler explain a malformed body instead of answering an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? c.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddSingleton(services => CursorCodec.FromSigningKey(services.GetRequiredService<Microsoft.IdentityModel.Tokens.SymmetricSecurityKey>()));
        builder.Services.AddOpenApi("v1", FlexoraaOpenApi.Configure);
        builder.Services.AddFlexoraaHealthChecks();
    }

    private static void MapApi(WebApplication app, RunMode mode)
    {
        app.Use(app.Services.GetRequiredService<RequestBodyLimits>().Apply);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseCors();
        app.UseHubOriginCheck();
        // Before authentication: an API key with a NUL in it must not reach the key look-up in PostgreSQL either.
        app.UseMiddleware<EdgeInputMiddleware>();
        app.UseAuthentication();
        // Before authorization, so a call refused with 403 still counts against its caller's limits.
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/scalar").AllowAnonymous();
        app.MapHealthEndpoints();

        var api = app.MapGroup("/api/v1");
        api.MapAccountEndpoints();
        api.MapGoogleSignInEndpoints();
        api.MapTenantEndpoints();
        api.MapApiKeyEndpoints();
        api.MapAuditEndpoints();
        api.MapTeamEndpoints();
        api.MapChannelEndpoints();
        api.MapMediaEndpoints();
        api.MapMessageSearchApi();
        api.MapConversationsApi();
        api.MapCannedResponsesApi();
        api.MapLeadsApi();
        api.MapLeadImportsApi();
        api.MapPipelinesApi();
        api.MapScoringRulesApi();
        api.MapPresenceEndpoints();
        if (mode == RunMode.Local) api.MapLocalOutboxEndpoints();
        app.MapMetaWebhooks();
        app.MapFlexoraaRealtime();
    }

    private static void PrintBannerOnStart(WebApplication app, FlexoraaDatabase database, bool coHostSilo)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var hasSmtp = !string.IsNullOrWhiteSpace(app.Services.GetRequiredService<SmtpSettings>().Host);
            // Only a host with a silo sends replies, so only it has a sandbox policy to describe.
            var sandbox = app.Services.GetService<Flexoraa.Outbound.SandboxPolicy>()?.BannerText;
            Console.WriteLine(new StartupBanner(database.Mode, coHostSilo, [.. addresses], database.DataDirectory, hasSmtp, sandbox));
        });
    }

    /// <summary>Runs the host; a missing PostgreSQL installation ends it with advice instead of a stack trace.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = await BuildAsync(args);
        }
        catch (Exception e) when (e is PostgresNotInstalledException or StartupConfigurationException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (NpgsqlException e)
        {
            await Console.Error.WriteLineAsync(
                $"Cannot reach PostgreSQL through ConnectionStrings:Postgres ({e.Message}). Check the server is running and the connection string, " +
                "or unset it to run in local mode with a private PostgreSQL.");
            return 2;
        }
        await using (app)
        {
            try
            {
                await app.StartAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // For example the HTTP port is taken. Local mode's PostgreSQL is already running by now; it must not
                // outlive a process that never served.
                await Console.Error.WriteLineAsync($"Flexoraa could not start: {e.Message}");
                await StopAfterFailedStartAsync(app);
                return 2;
            }
            await app.WaitForShutdownAsync();
        }
        return 0;
    }

    private static async Task StopAfterFailedStartAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync();
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"Stopping after the failed start also failed: {e.Message}");
        }
        finally
        {
            await app.Services.GetRequiredService<FlexoraaDatabase>().DisposeAsync();
        }
    }
}
