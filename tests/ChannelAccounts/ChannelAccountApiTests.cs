using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Flexoraa.Channels;
using Flexoraa.FrontendApi.Webhooks;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tenants;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Flexoraa.Tests.ChannelAccounts;

/// <summary>
/// <c>/api/v1/channels</c> over HTTP against a frontend that co-hosts a silo on PostgreSQL and has a deployment-wide
/// Meta app configured. The class shares one frontend; every test works in tenants and accounts of its own.
/// </summary>
public sealed class ChannelAccountApiTests(MetaAppFrontend fixture) : IClassFixture<MetaAppFrontend>
{
    private const string DeploymentAppSecret = MetaAppFrontend.AppSecret;
    private const string DeploymentVerifyToken = MetaAppFrontend.VerifyToken;

    private readonly TestFrontend _frontend = fixture.Frontend;

    private IGrainFactory Grains => _frontend.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task A_whatsapp_number_can_be_connected_read_listed_renamed_and_disconnected()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Round Trip Co");
        var phoneNumberId = NewMetaId();

        var created = await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(phoneNumberId, displayName: "Sales line", phoneNumber: "+919812345678"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = account.GetProperty("id").GetString()!;
        Assert.Matches("^ch_[a-z0-9]{16}$", id);
        Assert.Equal($"/api/v1/channels/{id}", created.Headers.Location!.ToString());
        Assert.Equal("whatsapp", account.GetProperty("channel").GetString());
        Assert.Equal(phoneNumberId, account.GetProperty("externalAccountId").GetString());
        Assert.Equal("102290129340398", account.GetProperty("wabaId").GetString());
        Assert.Equal("+919812345678", account.GetProperty("phoneNumber").GetString());
        Assert.Equal("Sales line", account.GetProperty("displayName").GetString());
        Assert.Equal("active", account.GetProperty("status").GetString());
        Assert.False(account.GetProperty("hasAppSecret").GetBoolean());
        Assert.False(account.GetProperty("hasVerifyToken").GetBoolean());

        var read = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/channels/{id}");
        Assert.Equal(account.GetProperty("createdAt").GetDateTimeOffset(), read.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal("Sales line", read.GetProperty("displayName").GetString());

        var list = await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/channels");
        Assert.Equal([id], list.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, list.GetProperty("nextCursor").ValueKind);

        var renamed = await owner.Http.PatchAsJsonAsync($"/api/v1/channels/{id}", new { displayName = "  Support line  " });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Support line", (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("displayName").GetString());
        Assert.Equal("Support line", (await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/channels/{id}")).GetProperty("displayName").GetString());

        var deleted = await owner.Http.DeleteAsync($"/api/v1/channels/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync($"/api/v1/channels/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.DeleteAsync($"/api/v1/channels/{id}")).StatusCode);
        Assert.Empty((await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/channels")).GetProperty("items").EnumerateArray());
        Assert.Null(await OwnerOf(ChannelKind.WhatsApp, phoneNumberId));
    }

    [Fact]
    public async Task Messenger_pages_and_instagram_accounts_connect_with_their_own_field_names()
    {
        var owner = await (await TestUser.SignUpAsync(_frontend, company: "Social Co")).OnPlanAsync(_frontend, TenantPlan.Growth);
        var pageId = NewMetaId();
        var instagramId = NewMetaId();

        var page = await owner.Http.PostAsJsonAsync("/api/v1/channels", new { channel = "messenger", pageId, pageAccessToken = NewSecret("page-token") });
        var instagram = await owner.Http.PostAsJsonAsync("/api/v1/channels", new { channel = "instagram", instagramAccountId = instagramId, accessToken = NewSecret("ig-token") });

        Assert.Equal(HttpStatusCode.Created, page.StatusCode);
        Assert.Equal(HttpStatusCode.Created, instagram.StatusCode);
        var pageView = await page.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("messenger", pageView.GetProperty("channel").GetString());
        Assert.Equal(pageId, pageView.GetProperty("externalAccountId").GetString());
        Assert.Equal(JsonValueKind.Null, pageView.GetProperty("wabaId").ValueKind);
        Assert.Equal("instagram", (await instagram.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("channel").GetString());
        Assert.Equal(owner.TenantId, (await OwnerOf(ChannelKind.Messenger, pageId))!.TenantId);
        Assert.Equal(owner.TenantId, (await OwnerOf(ChannelKind.Instagram, instagramId))!.TenantId);
    }

    [Fact]
    public async Task Secrets_never_appear_in_any_response_body()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Secretive Co");
        var (token, appSecret, verifyToken) = (NewSecret("token"), NewSecret("app-secret"), NewSecret("verify"));
        var (token2, appSecret2, verifyToken2) = (NewSecret("token"), NewSecret("app-secret"), NewSecret("verify"));
        var secrets = new[] { token, appSecret, verifyToken, token2, appSecret2, verifyToken2 };

        var created = await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId(), token, appSecret, verifyToken));
        var body = await created.Content.ReadAsStringAsync();
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        var bodies = new List<string>
        {
            body,
            await owner.Http.GetStringAsync($"/api/v1/channels/{id}"),
            await owner.Http.GetStringAsync("/api/v1/channels"),
            await (await owner.Http.PatchAsJsonAsync($"/api/v1/channels/{id}", new { accessToken = token2, appSecret = appSecret2, verifyToken = verifyToken2 })).Content.ReadAsStringAsync(),
            await owner.Http.GetStringAsync($"/api/v1/channels/{id}"),
            await (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp("not-digits", token, appSecret, verifyToken))).Content.ReadAsStringAsync(),
        };

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (var text in bodies)
        {
            foreach (var secret in secrets) Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        var view = JsonDocument.Parse(bodies[4]).RootElement;
        Assert.True(view.GetProperty("hasAppSecret").GetBoolean());
        Assert.True(view.GetProperty("hasVerifyToken").GetBoolean());
        Assert.Equal(token2[^4..], view.GetProperty("accessTokenHint").GetString());
    }

    [Fact]
    public async Task Secrets_are_stored_encrypted_and_the_app_can_decrypt_them()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Encrypted Co");
        var (token, appSecret, verifyToken) = (NewSecret("token"), NewSecret("app-secret"), NewSecret("verify"));

        var created = await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId(), token, appSecret, verifyToken));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await using var connection = await OwnerConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT row_to_json(c)::text, access_token_protected, app_secret_protected, verify_token_hash FROM channel_accounts c WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var wholeRow = reader.GetString(0);
        foreach (var secret in new[] { token, appSecret, verifyToken }) Assert.DoesNotContain(secret, wholeRow, StringComparison.Ordinal);

        var protector = _frontend.Services.GetRequiredService<ChannelSecretProtector>();
        Assert.Equal(token, protector.Unprotect(reader.GetString(1)));
        Assert.Equal(appSecret, protector.Unprotect(reader.GetString(2)));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(verifyToken)), reader.GetFieldValue<byte[]>(3));
        await reader.CloseAsync();

        await using var keys = new NpgsqlCommand("SELECT count(*) FROM data_protection_keys", connection);
        Assert.True((long)(await keys.ExecuteScalarAsync())! >= 1, "the Data Protection key ring should be in PostgreSQL");
    }

    [Fact]
    public async Task An_account_another_tenant_owns_is_refused_with_409_until_that_tenant_disconnects_it()
    {
        var first = await TestUser.SignUpAsync(_frontend, company: "First Owner");
        var second = await TestUser.SignUpAsync(_frontend, company: "Second Owner");
        var phoneNumberId = NewMetaId();
        var firstCreated = await first.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(phoneNumberId));
        var firstId = (await firstCreated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var refused = await second.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(phoneNumberId));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.DoesNotContain(first.TenantId, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(firstId, problem, StringComparison.Ordinal);
        Assert.Empty((await second.Http.GetFromJsonAsync<JsonElement>("/api/v1/channels")).GetProperty("items").EnumerateArray());
        Assert.Equal(first.TenantId, (await OwnerOf(ChannelKind.WhatsApp, phoneNumberId))!.TenantId);

        Assert.Equal(HttpStatusCode.NoContent, (await first.Http.DeleteAsync($"/api/v1/channels/{firstId}")).StatusCode);
        var accepted = await second.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(phoneNumberId));

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var route = await OwnerOf(ChannelKind.WhatsApp, phoneNumberId);
        Assert.Equal(second.TenantId, route!.TenantId);
        Assert.Equal((await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString(), route.ChannelAccountId);
    }

    [Fact]
    public async Task Connecting_an_account_twice_in_one_tenant_is_a_409_that_points_at_the_existing_one()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Twice Co");
        var phoneNumberId = NewMetaId();
        var id = (await (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(phoneNumberId))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var again = await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(phoneNumberId, appSecret: NewSecret("other-app")));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(id, await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var route = await OwnerOf(ChannelKind.WhatsApp, phoneNumberId);
        Assert.Equal(id, route!.ChannelAccountId);
        Assert.Equal(AppSecretFingerprint.Of(DeploymentAppSecret), route.AppSecretFingerprint);
    }

    [Fact]
    public async Task When_the_row_cannot_be_written_the_claim_is_released_and_nothing_is_half_written()
    {
        // A live row the grain does not know about (as after lost grain state) makes the insert fail after the claim.
        var phoneNumberId = NewMetaId();
        await using (var connection = await OwnerConnectionAsync())
        {
            await using var seed = new NpgsqlCommand("""
                INSERT INTO channel_accounts (id, tenant_id, channel, external_account_id, display_name, access_token_protected, app_secret_fingerprint)
                VALUES ('ch_seededelsewhere1', 'tn_someoneelse00001', 'whatsapp', @external, 'Elsewhere', 'x', 'y')
                """, connection);
            seed.Parameters.AddWithValue("external", phoneNumberId);
            await seed.ExecuteNonQueryAsync();
        }
        var owner = await TestUser.SignUpAsync(_frontend, company: "Half Written Co");

        var response = await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(phoneNumberId));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.DoesNotContain("tn_someoneelse00001", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await OwnerOf(ChannelKind.WhatsApp, phoneNumberId));
        Assert.Empty((await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/channels")).GetProperty("items").EnumerateArray());
        Assert.Equal(0L, await AuditCountAsync(owner.TenantId, "channel.connected"));
    }

    [Fact]
    public async Task A_member_can_read_channels_but_gets_403_connecting_changing_or_disconnecting_one()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Roles Co");
        var member = await AsMemberOfAsync(owner.TenantId, TenantRole.Member);
        var id = (await (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId()))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var post = await member.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId()));
        var patch = await member.Http.PatchAsJsonAsync($"/api/v1/channels/{id}", new { displayName = "Mine now" });
        var delete = await member.Http.DeleteAsync($"/api/v1/channels/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.Http.GetAsync($"/api/v1/channels/{id}")).StatusCode);
        Assert.Single((await member.Http.GetFromJsonAsync<JsonElement>("/api/v1/channels")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_admin_can_connect_a_channel()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Admin Co");
        var admin = await AsMemberOfAsync(owner.TenantId, TenantRole.Admin);

        var post = await admin.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId()));

        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
    }

    [Fact]
    public async Task Another_tenants_channel_is_404_to_read_change_and_disconnect_and_stays_untouched()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Tenant A");
        var stranger = await TestUser.SignUpAsync(_frontend, company: "Tenant B");
        var phoneNumberId = NewMetaId();
        var id = (await (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(phoneNumberId, displayName: "A's line"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var get = await stranger.Http.GetAsync($"/api/v1/channels/{id}");
        var patch = await stranger.Http.PatchAsJsonAsync($"/api/v1/channels/{id}", new { displayName = "Taken", appSecret = NewSecret("evil") });
        var delete = await stranger.Http.DeleteAsync($"/api/v1/channels/{id}");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Empty((await stranger.Http.GetFromJsonAsync<JsonElement>("/api/v1/channels")).GetProperty("items").EnumerateArray());
        Assert.Equal("A's line", (await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/channels/{id}")).GetProperty("displayName").GetString());
        var route = await OwnerOf(ChannelKind.WhatsApp, phoneNumberId);
        Assert.Equal(owner.TenantId, route!.TenantId);
        Assert.Equal(AppSecretFingerprint.Of(DeploymentAppSecret), route.AppSecretFingerprint);
    }

    [Fact]
    public async Task The_route_names_the_tenant_and_the_fingerprint_of_the_app_secret_and_follows_a_rotation()
    {
        var owner = await (await TestUser.SignUpAsync(_frontend, company: "Route Co")).OnPlanAsync(_frontend, TenantPlan.Growth);
        var (onDeploymentApp, onOwnApp) = (NewMetaId(), NewMetaId());
        var ownSecret = NewSecret("own-app");
        var rotatedSecret = NewSecret("rotated-app");

        var deploymentId = (await (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(onDeploymentApp))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var ownId = (await (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(onOwnApp, appSecret: ownSecret))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        Assert.Equal(new ChannelAccountOwner(owner.TenantId, deploymentId, ChannelKind.WhatsApp, onDeploymentApp, AppSecretFingerprint.Of(DeploymentAppSecret)),
            await OwnerOf(ChannelKind.WhatsApp, onDeploymentApp));
        Assert.Equal(new ChannelAccountOwner(owner.TenantId, ownId, ChannelKind.WhatsApp, onOwnApp, AppSecretFingerprint.Of(ownSecret)),
            await OwnerOf(ChannelKind.WhatsApp, onOwnApp));

        Assert.Equal(HttpStatusCode.OK, (await owner.Http.PatchAsJsonAsync($"/api/v1/channels/{ownId}", new { appSecret = rotatedSecret })).StatusCode);

        Assert.Equal(AppSecretFingerprint.Of(rotatedSecret), (await OwnerOf(ChannelKind.WhatsApp, onOwnApp))!.AppSecretFingerprint);
    }

    [Fact]
    public async Task MetaAppCredentials_offers_an_accounts_own_app_secret_and_verify_token_while_it_is_connected()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Credentials Co");
        var credentials = _frontend.Services.GetRequiredService<IMetaAppCredentials>();
        var (appSecret, verifyToken) = (NewSecret("own-app"), NewSecret("own-verify"));
        var pageId = NewMetaId();
        Assert.DoesNotContain(appSecret, await credentials.AppSecretsAsync(ChannelKind.Messenger, default)); // fills the cache

        var created = await owner.Http.PostAsJsonAsync("/api/v1/channels", new { channel = "messenger", pageId, pageAccessToken = NewSecret("page"), appSecret, verifyToken });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var messengerSecrets = await credentials.AppSecretsAsync(ChannelKind.Messenger, default);
        Assert.Contains(appSecret, messengerSecrets);
        Assert.Contains(DeploymentAppSecret, messengerSecrets);
        Assert.DoesNotContain(appSecret, await credentials.AppSecretsAsync(ChannelKind.WhatsApp, default));
        Assert.True(await credentials.IsVerifyTokenAsync(ChannelKind.Messenger, verifyToken, default));
        Assert.True(await credentials.IsVerifyTokenAsync(ChannelKind.Messenger, DeploymentVerifyToken, default));
        Assert.False(await credentials.IsVerifyTokenAsync(ChannelKind.Instagram, verifyToken, default));
        Assert.False(await credentials.IsVerifyTokenAsync(ChannelKind.Messenger, verifyToken + "x", default));
        Assert.False(await credentials.IsVerifyTokenAsync(ChannelKind.Messenger, "", default));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"/api/v1/channels/{id}")).StatusCode);

        Assert.DoesNotContain(appSecret, await credentials.AppSecretsAsync(ChannelKind.Messenger, default));
        Assert.False(await credentials.IsVerifyTokenAsync(ChannelKind.Messenger, verifyToken, default));
    }

    [Fact]
    public async Task Changes_are_audited_without_their_secrets()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Audited Co");
        var token = NewSecret("token");
        var id = (await (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId()))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await owner.Http.PatchAsJsonAsync($"/api/v1/channels/{id}", new { accessToken = token });
        await owner.Http.DeleteAsync($"/api/v1/channels/{id}");

        await using var connection = await OwnerConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT action, target_id, details::text FROM audit_log WHERE tenant_id = @tenant AND action LIKE 'channel.%' ORDER BY id", connection);
        command.Parameters.AddWithValue("tenant", owner.TenantId);
        var entries = new List<(string Action, string Target, string Details)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) entries.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        Assert.Equal(["channel.connected", "channel.updated", "channel.disconnected"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(id, e.Target));
        Assert.Contains("accessToken", entries[1].Details, StringComparison.Ordinal);
        Assert.All(entries, e => Assert.DoesNotContain(token, e.Details, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_list_pages_by_cursor_without_gaps_or_repeats()
    {
        var owner = await (await TestUser.SignUpAsync(_frontend, company: "Many Lines Co")).OnPlanAsync(_frontend, TenantPlan.Growth);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var created = await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId()));
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/channels?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids, seen);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.Http.GetAsync("/api/v1/channels?cursor=garbage!")).StatusCode);
    }

    [Theory]
    [InlineData("""{"channel":"whatsapp","wabaId":"102290129340398","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue"}""", "phoneNumberId")]
    [InlineData("""{"channel":"telegram","phoneNumberId":"106540352242922","wabaId":"102290129340398","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue"}""", "channel")]
    [InlineData("""{"phoneNumberId":"106540352242922","wabaId":"102290129340398","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue"}""", "channel")]
    [InlineData("""{"channel":"0","pageId":"106540352242922","pageAccessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue"}""", "channel")]
    [InlineData("""{"channel":"whatsapp","phoneNumberId":"10654-0352","wabaId":"102290129340398","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue"}""", "phoneNumberId")]
    [InlineData("""{"channel":"whatsapp","phoneNumberId":"106540352242922","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue"}""", "wabaId")]
    [InlineData("""{"channel":"whatsapp","phoneNumberId":"106540352242922","wabaId":"102290129340398"}""", "accessToken")]
    [InlineData("""{"channel":"whatsapp","phoneNumberId":"106540352242922","wabaId":"102290129340398","accessToken":"has space"}""", "accessToken")]
    [InlineData("""{"channel":"whatsapp","phoneNumberId":"106540352242922","wabaId":"102290129340398","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue","phoneNumber":"98123"}""", "phoneNumber")]
    [InlineData("""{"channel":"whatsapp","phoneNumberId":"106540352242922","wabaId":"102290129340398","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue","pageId":"1"}""", "pageId")]
    [InlineData("""{"channel":"whatsapp","phoneNumberId":"106540352242922","wabaId":"102290129340398","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue","appSecret":""}""", "appSecret")]
    [InlineData("""{"channel":"whatsapp","phoneNumberId":"106540352242922","wabaId":"102290129340398","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue","displayName":"  "}""", "displayName")]
    [InlineData("""{"channel":"messenger","pageId":"106540352242922","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue"}""", "pageAccessToken")]
    [InlineData("""{"channel":"messenger","pageId":"106540352242922","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue"}""", "accessToken")]
    [InlineData("""{"channel":"instagram","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue"}""", "instagramAccountId")]
    [InlineData("""{"channel":"instagram","instagramAccountId":"17841400000000000","accessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue","verifyToken":""}""", "verifyToken")]
    public async Task A_bad_body_gets_a_400_that_names_the_field_and_stores_nothing(string body, string field)
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Careless Co");

        var response = await owner.Http.PostAsync("/api/v1/channels", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Empty((await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/channels")).GetProperty("items").EnumerateArray());
        Assert.Null(await OwnerOf(ChannelKind.WhatsApp, "106540352242922"));
    }

    [Theory]
    [InlineData("""{"accessToken":""}""", "accessToken")]
    [InlineData("""{"pageAccessToken":"EAAGm0PX4ZCpsBAKlongtokenvalue"}""", "pageAccessToken")]
    [InlineData("""{"phoneNumber":"12"}""", "phoneNumber")]
    [InlineData("""{"displayName":""}""", "displayName")]
    public async Task A_bad_change_gets_a_400_that_names_the_field_and_changes_nothing(string body, string field)
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Careless Changes Co");
        var phoneNumberId = NewMetaId();
        var id = (await (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(phoneNumberId, displayName: "Kept"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var response = await owner.Http.PatchAsync($"/api/v1/channels/{id}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        var account = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/channels/{id}");
        Assert.Equal("Kept", account.GetProperty("displayName").GetString());
        Assert.Equal(account.GetProperty("createdAt").GetDateTimeOffset(), account.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Malformed_json_gets_a_400_problem_not_a_500()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Broken Json Co");

        var response = await owner.Http.PostAsync("/api/v1/channels", new StringContent("""{"channel": "whatsapp", """, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Malformed JSON", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_trial_plan_connects_one_account_and_a_second_is_a_409_naming_the_limit_until_the_plan_grows()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Trial Co");
        var first = await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId()));
        var secondId = NewMetaId();

        var second = await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(secondId));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("channelAccounts", problem.GetProperty("limit").GetString());
        Assert.Equal(1, problem.GetProperty("channelAccounts").GetInt32());
        Assert.Contains("trial plan allows 1", problem.GetProperty("detail").GetString());
        // The refused account was never claimed, so another tenant (or this one, later) can connect it.
        Assert.Null(await OwnerOf(ChannelKind.WhatsApp, secondId));
        Assert.Single((await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/channels")).GetProperty("items").EnumerateArray());

        await owner.OnPlanAsync(_frontend, TenantPlan.Starter);
        Assert.Equal(HttpStatusCode.Created, (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(secondId))).StatusCode);
    }

    [Fact]
    public async Task A_disconnected_account_frees_its_slot()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Swap Co");
        var first = await (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId()))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"/api/v1/channels/{first.GetProperty("id").GetString()}")).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId()))).StatusCode);
    }

    [Fact]
    public async Task Concurrent_connects_cannot_both_take_the_plans_last_slot()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Race Co");
        var ids = Enumerable.Range(0, 6).Select(_ => NewMetaId()).ToList();

        var answers = await Task.WhenAll(ids.Select(id => owner.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(id))));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        Assert.Single((await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/channels")).GetProperty("items").EnumerateArray());
        var routes = await Task.WhenAll(ids.Select(id => OwnerOf(ChannelKind.WhatsApp, id)));
        Assert.Single(routes, r => r is not null);
    }

    [Fact]
    public async Task Without_a_token_the_channel_api_answers_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _frontend.Http.GetAsync("/api/v1/channels")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _frontend.Http.PostAsJsonAsync("/api/v1/channels", WhatsApp(NewMetaId()))).StatusCode);
    }

    private static object WhatsApp(string phoneNumberId, string? accessToken = null, string? appSecret = null, string? verifyToken = null,
        string? displayName = null, string? phoneNumber = null) => new
    {
        channel = "whatsapp",
        phoneNumberId,
        wabaId = "102290129340398",
        accessToken = accessToken ?? NewSecret("EAAG"),
        appSecret,
        verifyToken,
        displayName,
        phoneNumber,
    };

    private static string NewMetaId() => "1" + RandomNumberGenerator.GetString("0123456789", 14);

    private static string NewSecret(string prefix) => prefix + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    private Task<ChannelAccountOwner?> OwnerOf(ChannelKind channel, string externalAccountId) =>
        Grains.GetGrain<IChannelAccountGrain>(ChannelAccountKeys.For(channel, externalAccountId)).GetOwner();

    /// <summary>A fresh user made a member of <paramref name="tenantId"/> with <paramref name="role"/>, signed in there.</summary>
    private async Task<TestUser> AsMemberOfAsync(string tenantId, TenantRole role)
    {
        var user = await TestUser.SignUpAsync(_frontend, company: "Elsewhere");
        var outcome = await Grains.GetGrain<ITenantGrain>(tenantId).AddMember(new TenantMember(user.UserId, user.Email, "Teammate", role, DateTimeOffset.UtcNow));
        Assert.Equal(MembershipOutcome.Done, outcome);
        using var anonymous = _frontend.NewClient();
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password, tenantId });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return TestUser.FromSession(_frontend, user.Email, await login.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<NpgsqlConnection> OwnerConnectionAsync()
    {
        var connection = new NpgsqlConnection(_frontend.Services.GetRequiredService<FlexoraaDatabase>().ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task<long> AuditCountAsync(string tenantId, string action)
    {
        await using var connection = await OwnerConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM audit_log WHERE tenant_id = @tenant AND action = @action", connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("action", action);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
