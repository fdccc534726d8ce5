using System.Net;
using System.Text.RegularExpressions;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Flexoraa.Tests.Platform;

/// <summary>Security headers on every kind of response, and no CORS at all while no origin is configured.</summary>
public sealed partial class SecurityHeaderTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Theory]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    [InlineData("/api/v1/audit", HttpStatusCode.Unauthorized)]
    [InlineData("/api/v1/nothing-here", HttpStatusCode.Unauthorized)]
    [InlineData("/nothing-here", HttpStatusCode.Unauthorized)]
    public async Task Every_response_carries_the_security_headers_and_a_strict_content_security_policy(string path, HttpStatusCode status)
    {
        var response = await _frontend.Http.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal(SecurityHeaders.ApiContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Contains("default-src 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS must not be sent over plain HTTP");
    }

    [Fact]
    public async Task The_scalar_page_gets_a_policy_that_allows_every_script_it_loads()
    {
        var response = await _frontend.Http.GetAsync("/scalar");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Header(response, "Content-Security-Policy");
        Assert.Equal(SecurityHeaders.DocsContentSecurityPolicy, policy);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        var scriptSources = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scriptSources);
        foreach (var source in scriptSources)
        {
            var allowed = !Uri.TryCreate(source, UriKind.Absolute, out var absolute) || policy.Contains($"{absolute.Scheme}://{absolute.Host}", StringComparison.Ordinal);
            Assert.True(allowed, $"the docs policy does not allow the script {source}");
        }
        if (html.Contains("<script>", StringComparison.Ordinal) || html.Contains("<script type=\"module\">", StringComparison.Ordinal))
        {
            Assert.Contains("'unsafe-inline'", policy, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_configured_origins_no_cors_headers_are_sent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("Origin", "https://app.example.com");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/audit");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await _frontend.Http.SendAsync(request);
        var preflightResponse = await _frontend.Http.SendAsync(preflight);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(preflightResponse.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Strict_transport_security_is_sent_only_over_https()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();
        app.UseSecurityHeaders();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        var server = app.GetTestServer();

        using var https = server.CreateClient();
        https.BaseAddress = new Uri("https://api.example.com/");
        using var http = server.CreateClient();
        http.BaseAddress = new Uri("http://api.example.com/");

        var secure = await https.GetAsync("/");
        var plain = await http.GetAsync("/");

        Assert.StartsWith("max-age=", Header(secure, "Strict-Transport-Security"), StringComparison.Ordinal);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("nosniff", Header(plain, "X-Content-Type-Options"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content)
        : throw new Xunit.Sdk.XunitException($"{name} is missing on {response.RequestMessage?.RequestUri} ({response.StatusCode})");

    [GeneratedRegex("<script[^>]*\\bsrc=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}
