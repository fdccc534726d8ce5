using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Identity;

/// <summary>
/// Walks the OpenAPI document and, for every operation with an id in its path, sends tenant B's token against tenant A's
/// resource. Every answer must be 403 or 404 and carry none of tenant A's data. A path parameter this probe does not know
/// how to fill is a failure, so every future endpoint is covered or the build goes red.
/// </summary>
public sealed class CrossTenantProbeTests : IAsyncLifetime
{
    private const string VictimCompany = "Probe Victim Traders";
    private TestFrontend _frontend = null!;
    private TestUser _victim = null!;
    private TestUser _attacker = null!;

    public async Task InitializeAsync()
    {
        _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());
        _victim = await TestUser.SignUpAsync(_frontend, company: VictimCompany);
        _attacker = await TestUser.SignUpAsync(_frontend, company: "Probe Attacker Co");
    }

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    /// <summary>How to get a real id of each kind that belongs to the victim tenant.</summary>
    private Task<Dictionary<string, string>> VictimIdsAsync() => SeededTenant.CreateAsync(_frontend, _victim, VictimCompany);

    [Fact]
    public async Task Another_tenants_token_gets_403_or_404_and_no_data_on_every_operation_with_an_id_in_its_path()
    {
        using var document = JsonDocument.Parse(await _frontend.Http.GetStringAsync("/openapi/v1.json"));
        var ids = await VictimIdsAsync();
        var probed = 0;
        var failures = new List<string>();

        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            if (!path.Name.StartsWith("/api/", StringComparison.Ordinal) || !path.Name.Contains('{', StringComparison.Ordinal)) continue;
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var url = Fill(path.Name, ids, failures);
                if (url is null) continue;

                using var request = new HttpRequestMessage(method, url);
                if (method != HttpMethod.Get && method != HttpMethod.Delete) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await _attacker.Http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                probed++;

                if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
                {
                    failures.Add($"{method} {path.Name} answered {(int)response.StatusCode}: {body}");
                }
                else if (body.Contains(VictimCompany, StringComparison.Ordinal) || body.Contains(_victim.Email, StringComparison.Ordinal))
                {
                    failures.Add($"{method} {path.Name} leaked the victim's data: {body}");
                }
            }
        }

        Assert.True(probed > 0, "The OpenAPI document has no operation with an id in its path.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));

        // The probes must not have changed the victim: its tenant is still readable and unchanged by its own owner.
        var tenant = await _victim.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{_victim.TenantId}");
        Assert.Equal(VictimCompany, tenant.GetProperty("profile").GetProperty("name").GetString());
    }

    private static string? Fill(string template, Dictionary<string, string> ids, List<string> failures)
    {
        var url = OpenApiPathTemplate.Fill(template, name => ids.TryGetValue(name, out var value) ? Uri.EscapeDataString(value) : null, out var missing);
        if (url is null)
        {
            failures.Add($"No cross-tenant probe knows how to make a '{missing}' for {template}; add one to {nameof(SeededTenant)}.{nameof(SeededTenant.CreateAsync)}.");
        }
        return url;
    }
}
