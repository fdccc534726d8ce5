using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Flexoraa.Tests.Team;

/// <summary>Invites people and lets them accept through the API, reading tokens from the outbox as an invitee would from their inbox.</summary>
public static class TeamInvites
{
    public static Task<HttpResponseMessage> InviteAsync(HttpClient inviter, string tenantId, string email, string role) =>
        inviter.PostAsJsonAsync($"/api/v1/tenants/{tenantId}/invitations", new { email, role });

    public static async Task<string> TokenFromOutboxAsync(TestFrontend frontend, string email)
    {
        var body = await TestUser.LastEmailToAsync(frontend, email);
        const string marker = "Invitation token: ";
        var start = body.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"The last email to {email} has no invitation token: {body}");
        return body[(start + marker.Length)..].Split('\n')[0].Trim();
    }

    public static Task<HttpResponseMessage> AcceptAsync(HttpClient client, string token, string? password = TestUser.DefaultPassword, string? displayName = "New Teammate") =>
        client.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password, displayName });

    /// <summary>A new person invited by <paramref name="owner"/> with <paramref name="role"/>, signed up through the invitation.</summary>
    public static async Task<TestUser> JoinAsync(TestFrontend frontend, TestUser owner, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        var invited = await InviteAsync(owner.Http, owner.TenantId, email, role);
        if ((int)invited.StatusCode != 201) throw new InvalidOperationException($"invite answered {invited.StatusCode}: {await invited.Content.ReadAsStringAsync()}");
        using var anonymous = frontend.NewClient();
        var accepted = await AcceptAsync(anonymous, await TokenFromOutboxAsync(frontend, email));
        var session = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        if ((int)accepted.StatusCode != 201) throw new InvalidOperationException($"accept answered {accepted.StatusCode}: {session}");
        return TestUser.FromSession(frontend, email, session);
    }

    /// <summary>The messages of a 400 problem about the <c>token</c> field.</summary>
    public static string TokenError(JsonElement problem) =>
        string.Join(" ", problem.GetProperty("errors").GetProperty("token").EnumerateArray().Select(e => e.GetString()));

    /// <summary>The details of the tenant's audit entries with <paramref name="action"/>, read as the database owner.</summary>
    public static async Task<List<JsonElement>> AuditDetailsAsync(TestFrontend frontend, string tenantId, string action)
    {
        var owner = frontend.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString;
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT details::text FROM audit_log WHERE tenant_id = @tenant AND action = @action ORDER BY id", connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("action", action);
        var details = new List<JsonElement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) details.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        return details;
    }

    /// <summary>Runs SQL as the database owner, for putting the clock of a row forward.</summary>
    public static async Task ExecuteAsOwnerAsync(TestFrontend frontend, string sql, params (string Name, object Value)[] parameters)
    {
        var owner = frontend.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString;
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }
}
