using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Flexoraa.Silo.Telemetry;

/// <summary>
/// Traces and metrics for every host. Exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set,
/// so a developer's laptop does not retry against a collector that is not there.
/// </summary>
public static class FlexoraaTelemetry
{
    /// <summary>The activity source and meter that Flexoraa's own code reports through.</summary>
    public const string SourceName = "Flexoraa";

    public static IServiceCollection AddFlexoraaTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        string serviceName,
        Action<TracerProviderBuilder>? tracing = null,
        Action<MeterProviderBuilder>? metrics = null)
    {
        var exportOtlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t =>
            {
                t.AddSource(SourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                tracing?.Invoke(t);
                if (exportOtlp) t.AddOtlpExporter();
            })
            .WithMetrics(m =>
            {
                m.AddMeter(SourceName, "Microsoft.Orleans", "Npgsql")
                    .AddRuntimeInstrumentation()
                    .AddHttpClientInstrumentation();
                metrics?.Invoke(m);
                if (exportOtlp) m.AddOtlpExporter();
            });
        return services;
    }

    /// <summary>Structured console logs: JSON lines when <c>Flexoraa:LogFormat</c> is <c>json</c> (the default in cluster mode), readable text otherwise.</summary>
    public static ILoggingBuilder AddFlexoraaConsole(this ILoggingBuilder logging, IConfiguration configuration, bool jsonByDefault)
    {
        var format = configuration["Flexoraa:LogFormat"];
        var json = format is null ? jsonByDefault : string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
        logging.ClearProviders();
        // Orleans logs every option at start-up at Information; keep the console about Flexoraa unless asked otherwise.
        if (configuration["Logging:LogLevel:Orleans"] is null) logging.AddFilter("Orleans", LogLevel.Warning);
        if (configuration["Logging:LogLevel:Polly"] is null) logging.AddFilter("Polly", LogLevel.Warning);
        if (json)
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
        return logging;
    }
}
