using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Conversations;
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
    private async Task<Dictionary<string, string>> VictimIdsAsync()
    {
        var key = await _victim.Http.PostAsJsonAsync($"/api/v1/tenants/{_victim.TenantId}/api-keys", new { name = "victim key", role = "member" });
        key.EnsureSuccessStatusCode();
        var invitation = await _victim.Http.PostAsJsonAsync($"/api/v1/tenants/{_victim.TenantId}/invitations", new { email = "invitee@victim.example", role = "member" });
        invitation.EnsureSuccessStatusCode();
        var channelAccountId = await VictimChannelAccountAsync();
        var conversationId = await VictimConversationAsync(channelAccountId);
        var canned = await _victim.Http.PostAsJsonAsync("/api/v1/canned-responses", new { shortcut = "victim", content = VictimCompany + " {{contact.name}}" });
        canned.EnsureSuccessStatusCode();
        return new()
        {
            ["invitationId"] = (await invitation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!,
            ["tenantId"] = _victim.TenantId,
            ["userId"] = _victim.UserId,
            ["apiKeyId"] = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!,
            ["channelAccountId"] = channelAccountId,
            ["mediaId"] = await VictimMediaAsync(),
            ["conversationId"] = conversationId,
            ["messageId"] = await VictimMessageAsync(conversationId, channelAccountId),
            ["cannedResponseId"] = (await canned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!,
        };
    }

    /// <summary>A message in the victim's conversation, as ingest would write it (as the database owner).</summary>
    private async Task<string> VictimMessageAsync(string conversationId, string channelAccountId)
    {
        var rows = await OwnerSql.QueryAsync(_frontend, """
            INSERT INTO messages (tenant_id, conversation_id, channel, channel_account_id, contact_id, external_id, direction, kind, body, raw, occurred_at)
            VALUES (@tenant, @conversation, 'whatsapp', @account, '919900000001', 'wamid.probe-victim', 'inbound', 'text', @body, '{}', now())
            RETURNING id
            """, ("tenant", _victim.TenantId), ("conversation", conversationId), ("account", channelAccountId), ("body", VictimCompany));
        return ((long)rows[0]["id"]!).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A stored media row of the victim's, as the fetch leaves it (written as the database owner).</summary>
    private async Task<string> VictimMediaAsync()
    {
        var id = Flexoraa.Media.MediaObjectIds.For(_victim.TenantId, Flexoraa.Channels.ChannelKind.WhatsApp, "2754859441498128");
        await OwnerSql.ExecuteAsync(_frontend, """
            INSERT INTO media_objects (tenant_id, id, conversation_id, message_external_id, channel, channel_account_id, kind,
                                       external_media_id, file_name, mime_type, status, blob_key, stored_at)
            VALUES (@tenant, @id, 'cv_probevictim', 'wamid.probe', 'whatsapp', 'ch_probevictim', 'document',
                    '2754859441498128', @fileName, 'application/pdf', 'stored', @blob, now())
            """, ("tenant", _victim.TenantId), ("id", id), ("fileName", VictimCompany + ".pdf"), ("blob", $"{_victim.TenantId}/{id}"));
        return id;
    }

    private async Task<string> VictimChannelAccountAsync()
    {
        var created = await _victim.Http.PostAsJsonAsync("/api/v1/channels", new
        {
            channel = "whatsapp", phoneNumberId = "106540352242922", wabaId = "102290129340398",
            accessToken = "EAAG-probe-victim-token-0001", appSecret = "probe-victim-app-secret", displayName = VictimCompany,
        });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()
            ?? throw new InvalidOperationException($"The victim could not connect a channel: {created.StatusCode}");
    }

    /// <summary>A conversation row as ingest would write it, inserted as the database owner (the probe host has no Meta app).</summary>
    private async Task<string> VictimConversationAsync(string channelAccountId)
    {
        var id = ConversationKeys.ConversationId(channelAccountId, "919900000001");
        await OwnerSql.ExecuteAsync(_frontend,
            "INSERT INTO conversations (tenant_id, id, channel, channel_account_id, contact_id, contact_name, last_message_at, last_message_preview) " +
            "VALUES (@tenant, @id, 'whatsapp', @account, '919900000001', @name, now(), @name)",
            ("tenant", _victim.TenantId), ("id", id), ("account", channelAccountId), ("name", VictimCompany));
        return id;
    }

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
        var url = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                url.Append(template, i, template.Length - i);
                break;
            }
            var close = template.IndexOf('}', open);
            url.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            if (!ids.TryGetValue(name, out var value))
            {
                failures.Add($"No cross-tenant probe knows how to make a '{name}' for {template}; add one to {nameof(CrossTenantProbeTests)}.{nameof(VictimIdsAsync)}.");
                return null;
            }
            url.Append(Uri.EscapeDataString(value));
            i = close + 1;
        }
        return url.ToString();
    }
}
