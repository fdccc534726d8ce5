using System.Net;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Platform;

/// <summary>CORS with <c>Flexoraa:Cors:AllowedOrigins</c> set to one origin.</summary>
public sealed class CorsTests : IAsyncLifetime
{
    private const string Allowed = "https://app.example.com";
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync() =>
        _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), extraArgs: $"--Flexoraa:Cors:AllowedOrigins:0={Allowed}/");

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task A_configured_origin_gets_access_control_allow_origin_and_another_does_not()
    {
        var allowed = await GetWithOriginAsync(Allowed);
        var other = await GetWithOriginAsync("https://evil.example.com");

        Assert.Equal(Allowed, Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task A_preflight_from_the_configured_origin_is_answered_before_authentication()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/audit");
        preflight.Headers.Add("Origin", Allowed);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,x-api-key");

        var response = await _frontend.Http.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Allowed, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        var allowedHeaders = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", allowedHeaders, StringComparison.Ordinal);
        Assert.Contains("x-api-key", allowedHeaders, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    private async Task<HttpResponseMessage> GetWithOriginAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit");
        request.Headers.Add("Origin", origin);
        return await _frontend.Http.SendAsync(request);
    }
}
