using System.Diagnostics;
using System.Net;
using Flexoraa.Channels.Meta;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Media;

/// <summary><see cref="GraphApiClient"/> as registered for the silos, against the fake Graph API: payloads, typed errors, retries and caps.</summary>
public sealed class GraphApiClientTests : IAsyncLifetime
{
    private FakeGraphApi _graph = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _services = ClientServices(_graph, maxRetries: 2, maxRetryDelay: TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private static ServiceProvider ClientServices(FakeGraphApi graph, int maxRetries, TimeSpan maxRetryDelay)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Flexoraa:Meta:GraphApiBaseUrl"] = graph.BaseUrl,
            ["Flexoraa:Meta:GraphApiVersion"] = FakeGraphApi.Version,
            ["Flexoraa:Meta:GraphApiMaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Flexoraa:Meta:GraphApiRetryBaseDelay"] = "00:00:00.010",
            ["Flexoraa:Meta:GraphApiMaxRetryDelay"] = maxRetryDelay.ToString(),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddGraphApiClient();
        return services.BuildServiceProvider();
    }

    private GraphApiClient Client => _services.GetRequiredService<GraphApiClient>();

    [Fact]
    public async Task Media_info_is_read_with_the_bearer_token_and_the_phone_number_check()
    {
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(1000), "image/jpeg", phoneNumberId: "106540352242922");

        var info = await Client.GetMediaInfoAsync(media.Id, _graph.AccessToken, "106540352242922");

        Assert.Equal(media.Id, info.Id);
        Assert.Equal("image/jpeg", info.MimeType);
        Assert.Equal(media.Sha256Hex, info.Sha256);
        Assert.Equal(1000L, info.FileSize);
        Assert.StartsWith(_graph.BaseUrl + "/whatsapp_business/attachments/?mid=" + media.Id, info.Url.ToString(), StringComparison.Ordinal);
        Assert.Equal("106540352242922", media.LastPhoneNumberIdQuery);
    }

    [Fact]
    public async Task File_size_is_accepted_as_a_number_as_well_as_a_string()
    {
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(1234), "image/jpeg");
        media.FileSizeAsNumber = true;

        Assert.Equal(1234L, (await Client.GetMediaInfoAsync(media.Id, _graph.AccessToken)).FileSize);
    }

    [Fact]
    public async Task An_unknown_media_id_is_a_typed_error_with_code_100_and_no_retry()
    {
        var error = await Assert.ThrowsAsync<GraphApiException>(() => Client.GetMediaInfoAsync("999000111", _graph.AccessToken));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(100, error.Error!.Code);
        Assert.Equal("GraphMethodException", error.Error.Type);
        Assert.Equal(33, error.Error.ErrorSubcode);
        Assert.Equal("AZ3bQ9f4xg2fDqQ8Hk1xW7n", error.Error.FbtraceId);
        Assert.Contains("Object with ID '999000111' does not exist", error.Error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_bad_token_is_a_401_with_code_190()
    {
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(10), "image/jpeg");

        var error = await Assert.ThrowsAsync<GraphApiException>(() => Client.GetMediaInfoAsync(media.Id, "EAAG-not-the-token"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Equal(190, error.Error!.Code);
        Assert.Equal("OAuthException", error.Error.Type);
        Assert.False(error.IsTransient);
        Assert.Equal(0, media.InfoRequests);
    }

    [Fact]
    public async Task The_130429_rate_limit_is_parsed_from_the_reference_body_and_retried_until_it_passes()
    {
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(10), "image/jpeg").FailInfo(2, FakeGraphFailure.RateLimit);

        var info = await Client.GetMediaInfoAsync(media.Id, _graph.AccessToken);

        Assert.Equal(media.Id, info.Id);
        Assert.Equal(3, media.InfoRequests);
    }

    [Fact]
    public async Task A_rate_limit_that_outlasts_the_retries_reaches_the_caller_as_a_transient_typed_error()
    {
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(10), "image/jpeg").FailInfo(10, FakeGraphFailure.RateLimit);

        var error = await Assert.ThrowsAsync<GraphApiException>(() => Client.GetMediaInfoAsync(media.Id, _graph.AccessToken));

        Assert.Equal(3, media.InfoRequests);
        Assert.Equal(130429, error.Error!.Code);
        Assert.Equal(2494055, error.Error.ErrorSubcode);
        Assert.Equal("Az8or2yhqkZfEZ-_4Qn_Bam", error.Error.FbtraceId);
        Assert.Equal("Message failed to send because there were too many messages sent from this phone number in a short period of time", error.Error.Details);
        Assert.True(error.Error.IsRateLimit);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Server_errors_are_retried_and_retry_after_is_honoured()
    {
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(10), "image/jpeg").FailInfo(1, FakeGraphFailure.ServerError);
        media.RetryAfterSeconds = 1;
        var clock = Stopwatch.StartNew();

        await Client.GetMediaInfoAsync(media.Id, _graph.AccessToken);

        Assert.Equal(2, media.InfoRequests);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}, before the 1 s Retry-After");
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_pipeline_may_wait_goes_to_the_caller_at_once()
    {
        await using var services = ClientServices(_graph, maxRetries: 3, maxRetryDelay: TimeSpan.FromSeconds(2));
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(10), "image/jpeg").FailInfo(1, FakeGraphFailure.RateLimit);
        media.RetryAfterSeconds = 120;

        var error = await Assert.ThrowsAsync<GraphApiException>(() => services.GetRequiredService<GraphApiClient>().GetMediaInfoAsync(media.Id, _graph.AccessToken));

        Assert.Equal(1, media.InfoRequests);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task A_download_streams_the_bytes_with_their_hash_and_needs_the_token()
    {
        var bytes = FakeGraphApi.JpegLike(300_000);
        var media = _graph.AddMedia(bytes, "image/jpeg");
        var info = await Client.GetMediaInfoAsync(media.Id, _graph.AccessToken);
        using var destination = new MemoryStream();

        var downloaded = await Client.DownloadAsync(info.Url, _graph.AccessToken, maxBytes: 1_000_000, destination);
        var anonymous = await Assert.ThrowsAsync<GraphApiException>(() => Client.DownloadAsync(info.Url, null, 1_000_000, new MemoryStream()));

        Assert.Equal(bytes, destination.ToArray());
        Assert.Equal(300_000L, downloaded.Length);
        Assert.Equal(media.Sha256Hex, Convert.ToHexStringLower(downloaded.Sha256));
        Assert.Equal("image/jpeg", downloaded.ContentType);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_download_over_the_cap_stops_there_whether_or_not_it_announces_its_length(bool omitContentLength)
    {
        var media = _graph.AddMedia(FakeGraphApi.JpegLike(2_000_000), "image/jpeg");
        media.OmitContentLength = omitContentLength;
        var info = await Client.GetMediaInfoAsync(media.Id, _graph.AccessToken);
        using var destination = new MemoryStream();

        var error = await Assert.ThrowsAsync<MediaTooLargeException>(() => Client.DownloadAsync(info.Url, _graph.AccessToken, maxBytes: 500_000, destination));

        Assert.Equal(500_000L, error.MaxBytes);
        Assert.True(destination.Length <= 500_000, $"wrote {destination.Length} bytes past the cap");
        Assert.Equal(omitContentLength ? null : 2_000_000L, error.AnnouncedBytes);
    }
}
