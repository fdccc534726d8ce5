using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>A signed-up user with a session in one tenant, and an <see cref="HttpClient"/> that sends their token.</summary>
public sealed record TestUser(string Email, string Password, string UserId, string TenantId, string AccessToken, string RefreshToken, HttpClient Http)
{
    public const string DefaultPassword = "correct horse battery";

    /// <summary>Signs up through the API, reading the confirmation token from the email outbox as a person would from their inbox.</summary>
    public static async Task<TestUser> SignUpAsync(TestFrontend frontend, string? email = null, string company = "Acme Traders")
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        using var anonymous = frontend.NewClient();
        var started = await anonymous.PostAsJsonAsync("/api/v1/auth/signup", new { email, password = DefaultPassword, displayName = "Test " + email[..8], companyName = company });
        if ((int)started.StatusCode != 202) throw new InvalidOperationException($"sign-up answered {started.StatusCode}: {await started.Content.ReadAsStringAsync()}");

        var token = await SignupTokenFromOutboxAsync(frontend, email);
        var confirmed = await anonymous.PostAsJsonAsync("/api/v1/auth/signup/confirm", new { token });
        var session = await confirmed.Content.ReadFromJsonAsync<JsonElement>();
        if ((int)confirmed.StatusCode != 201) throw new InvalidOperationException($"confirm answered {confirmed.StatusCode}: {session}");
        return FromSession(frontend, email, session);
    }

    /// <summary>
    /// Moves the user's tenant to <paramref name="plan"/>, as billing will. New tenants start on Trial, which allows one
    /// channel account; tests that connect several move up first.
    /// </summary>
    public async Task<TestUser> OnPlanAsync(TestFrontend frontend, Flexoraa.Tenants.TenantPlan plan)
    {
        var snapshot = await frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<Flexoraa.Tenants.ITenantGrain>(TenantId).ChangePlan(plan);
        if (snapshot?.Plan != plan) throw new InvalidOperationException($"tenant {TenantId} did not move to {plan}");
        return this;
    }

    public static TestUser FromSession(TestFrontend frontend, string email, JsonElement session)
    {
        var access = session.GetProperty("accessToken").GetString()!;
        var http = frontend.NewClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return new TestUser(email, DefaultPassword, session.GetProperty("userId").GetString()!, session.GetProperty("tenantId").GetString()!,
            access, session.GetProperty("refreshToken").GetString()!, http);
    }

    public static async Task<string> SignupTokenFromOutboxAsync(TestFrontend frontend, string email)
    {
        var body = await LastEmailToAsync(frontend, email);
        var marker = "Sign-up token: ";
        var start = body.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return body[start..].Split('\n')[0].Trim();
    }

    /// <summary>The body of the newest outbox email to <paramref name="email"/>, read as the database owner.</summary>
    public static async Task<string> LastEmailToAsync(TestFrontend frontend, string email)
    {
        var owner = frontend.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString;
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT body FROM outbound_emails WHERE recipient = @to ORDER BY id DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("to", email);
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No email to {email} in the outbox.");
    }
}
