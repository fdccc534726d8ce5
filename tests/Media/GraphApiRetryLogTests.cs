using Flexoraa.Channels.Meta;
using Flexoraa.Silo.Telemetry;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Tests.Media;

/// <summary>
/// A retried Graph API call (a media fetch) logs one line per retry that says why, with Flexoraa's default log levels:
/// no stack trace for what is an everyday network hiccup.
/// </summary>
public sealed class GraphApiRetryLogTests : IAsyncLifetime
{
    private FakeGraphApi _graph = null!;

    public async Task InitializeAsync() => _graph = await FakeGraphApi.StartAsync();

    public async Task DisposeAsync() => await _graph.DisposeAsync();

    private static ServiceProvider ClientServices(string baseUrl, CapturedLogs logs)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Flexoraa:Meta:GraphApiBaseUrl"] = baseUrl,
            ["Flexoraa:Meta:GraphApiVersion"] = FakeGraphApi.Version,
            ["Flexoraa:Meta:GraphApiMaxRetries"] = "2",
            ["Flexoraa:Meta:GraphApiRetryBaseDelay"] = "00:00:00.010",
        });
        builder.AddFlexoraaLogLevelDefaults();
        var configuration = builder.Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.AddConfiguration(configuration.GetSection("Logging")).AddProvider(logs));
        services.AddGraphApiClient();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_connection_that_is_refused_logs_one_line_per_retry_and_no_stack_trace()
    {
        var logs = new CapturedLogs();
        await using var services = ClientServices($"http://127.0.0.1:{FreePort.Next()}", logs);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => services.GetRequiredService<GraphApiClient>().GetMediaInfoAsync("1234", _graph.AccessToken));

        var entries = logs.Entries;
        Assert.All(entries, e => Assert.Null(e.Exception));
        Assert.All(entries, e => Assert.DoesNotContain("   at ", e.Message, StringComparison.Ordinal));
        var retries = entries.Where(e => e.Message.Contains("retry", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, e => Assert.DoesNotContain('\n', e.Message));
        Assert.All(retries, e => Assert.Contains("Connection refused", e.Message, StringComparison.OrdinalIgnoreCase));
        Assert.All(retries, e => Assert.Equal(LogLevel.Warning, e.Level));
    }

    [Fact]
    public async Task A_rate_limit_that_heals_logs_one_line_per_retry_naming_metas_error_code()
    {
        var logs = new CapturedLogs();
        await using var services = ClientServices(_graph.BaseUrl, logs);
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(10), "image/jpeg").FailInfo(2, FakeGraphFailure.RateLimit);

        await services.GetRequiredService<GraphApiClient>().GetMediaInfoAsync(media.Id, _graph.AccessToken);

        var entries = logs.Entries;
        Assert.All(entries, e => Assert.Null(e.Exception));
        var retries = entries.Where(e => e.Message.Contains("retry", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, e => Assert.Contains("130429", e.Message, StringComparison.Ordinal));
    }
}
