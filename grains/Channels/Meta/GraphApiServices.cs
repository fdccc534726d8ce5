using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// Registers <see cref="GraphApiClient"/> (reads: media) and <see cref="GraphMessagingClient"/> (sends) with their settings
/// and resilience pipelines. They differ in what they retry: a read may be repeated after any transient failure, a send
/// only after Meta refused it (see <see cref="GraphApiRetries.ShouldRetrySendAsync"/>).
/// </summary>
public static class GraphApiServices
{
    public const string PipelineName = "graph-api";
    public const string SendPipelineName = "graph-api-send";

    /// <summary>
    /// Both clients talk to the configured Graph API. The pipelines time each attempt, so the client itself has no
    /// timeout; a download's body is bounded by its caller's token instead.
    /// </summary>
    private static void PointAtGraphApi(IServiceProvider provider, HttpClient http)
    {
        http.BaseAddress = provider.GetRequiredService<IOptions<GraphApiSettings>>().Value.BaseAddress;
        http.Timeout = Timeout.InfiniteTimeSpan;
    }

    private static ILogger Retries(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger(typeof(GraphApiRetries).FullName!) ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public static IServiceCollection AddGraphApiClient(this IServiceCollection services)
    {
        services.AddOptions<GraphApiSettings>().BindConfiguration(GraphApiSettings.Section);
        services.Configure<TelemetryOptions>(GraphApiRetries.QuietenRetryTelemetry);
        services.AddHttpClient<GraphApiClient>(PointAtGraphApi)
            .AddResilienceHandler(PipelineName, (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<GraphApiSettings>>().Value;
                if (settings.GraphApiMaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.GraphApiMaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = settings.GraphApiRetryBaseDelay,
                        MaxDelay = settings.GraphApiMaxRetryDelay,
                        ShouldRetryAfterHeader = false,
                        ShouldHandle = args => GraphApiRetries.ShouldRetryAsync(args.Outcome, settings.GraphApiMaxRetryDelay),
                        // Retry-After wins over the backoff; ShouldHandle already refused the ones too long to wait here.
                        DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? GraphApiRetries.RetryAfter(response) : null),
                        OnRetry = args => GraphApiRetries.LogRetryAsync(Retries(context.ServiceProvider), "read", args),
                    });
                }
                pipeline.AddTimeout(settings.GraphApiAttemptTimeout);
            });
        services.AddHttpClient<GraphMessagingClient>(PointAtGraphApi)
            .AddResilienceHandler(SendPipelineName, (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<GraphApiSettings>>().Value;
                if (settings.GraphApiSendMaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.GraphApiSendMaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = settings.GraphApiRetryBaseDelay,
                        MaxDelay = settings.GraphApiMaxRetryDelay,
                        ShouldRetryAfterHeader = false,
                        ShouldHandle = args => GraphApiRetries.ShouldRetrySendAsync(args.Outcome, settings.GraphApiMaxRetryDelay),
                        DelayGenerator = args => GraphApiRetries.SendDelayAsync(args.Outcome, args.AttemptNumber, settings),
                        OnRetry = args => GraphApiRetries.LogRetryAsync(Retries(context.ServiceProvider), "send", args),
                    });
                }
                // One attempt's time limit; an attempt that runs out is not retried (Meta may have sent it).
                pipeline.AddTimeout(settings.GraphApiAttemptTimeout);
            });
        return services;
    }
}
