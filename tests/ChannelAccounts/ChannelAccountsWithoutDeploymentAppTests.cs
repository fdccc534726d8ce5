using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Flexoraa.Channels;
using Flexoraa.FrontendApi.Webhooks;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.ChannelAccounts;

/// <summary>
/// A deployment without a Meta app of its own (no <c>Flexoraa:Meta</c> settings): every account brings its app secret.
/// Two hosts on one database stand for a frontend and a silo of one deployment sharing the Data Protection key ring.
/// </summary>
public sealed class ChannelAccountsWithoutDeploymentAppTests : IAsyncLifetime
{
    private string _database = null!;
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _frontend = await TestFrontend.StartAsync(_database);
    }

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task Without_a_deployment_app_secret_an_account_must_bring_its_own()
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Own App Co");
        var phoneNumberId = "1" + RandomNumberGenerator.GetString("0123456789", 14);
        var appSecret = "own-app-secret-" + Guid.NewGuid().ToString("N");
        var body = new { channel = "whatsapp", phoneNumberId, wabaId = "102290129340398", accessToken = "EAAG-" + Guid.NewGuid().ToString("N") };

        var refused = await owner.Http.PostAsJsonAsync("/api/v1/channels", body);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("appSecret", out _));

        var accepted = await owner.Http.PostAsJsonAsync("/api/v1/channels", new { body.channel, body.phoneNumberId, body.wabaId, body.accessToken, appSecret });

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var route = await _frontend.Services.GetRequiredService<IGrainFactory>()
            .GetGrain<IChannelAccountGrain>(ChannelAccountKeys.For(ChannelKind.WhatsApp, phoneNumberId)).GetOwner();
        Assert.Equal(AppSecretFingerprint.Of(appSecret), route!.AppSecretFingerprint);
        var credentials = _frontend.Services.GetRequiredService<IMetaAppCredentials>();
        Assert.Equal([appSecret], await credentials.AppSecretsAsync(ChannelKind.WhatsApp, default));
        Assert.False(await credentials.IsVerifyTokenAsync(ChannelKind.WhatsApp, "anything", default));
    }

    [Fact]
    public async Task Another_host_of_the_same_deployment_decrypts_what_this_one_encrypted()
    {
        var secret = "shared-secret-" + Guid.NewGuid().ToString("N");
        var protectedHere = _frontend.Services.GetRequiredService<ChannelSecretProtector>().Protect(secret);

        await using var otherHost = await TestFrontend.StartAsync(_database);

        Assert.Equal(secret, otherHost.Services.GetRequiredService<ChannelSecretProtector>().Unprotect(protectedHere));
    }
}
