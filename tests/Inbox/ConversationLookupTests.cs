using Flexoraa.Channels;
using Flexoraa.FrontendApi.Conversations;
using Flexoraa.ReadModels;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Flexoraa.Tests.Inbox;

/// <summary>
/// The one look-up every conversation endpoint and the inbox hub ask before a grain is touched: the caller's tenant's
/// conversations only, and ids that cannot exist answered without a query.
/// </summary>
public sealed class ConversationLookupTests
{
    [Fact]
    public async Task A_malformed_id_is_not_found_without_asking_the_database()
    {
        // Nothing listens on this port, so any query would fail: a malformed id must be refused before one is sent.
        await using var unreachable = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={FreePort.Next()};Username=nobody;Timeout=2");
        var lookup = new ConversationLookup(new TenantDatabase(unreachable));

        foreach (var id in new[] { "", "cv_", "not-a-conversation", "cv_ABCDEFGHIJKLMNOPQRST", "cv_aaaaaaaaaaaaaaaaaaa0", new string('a', 40), "cv_aaaaaaaaaaaaaaaaaaaa\0" })
        {
            Assert.False(await lookup.ExistsAsync("tn_any", id));
            Assert.Null(await lookup.ChannelOfAsync("tn_any", id));
        }
        // The control: a well-formed id does go to the database (and fails here), so the answers above were no query.
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => lookup.ExistsAsync("tn_any", "cv_aaaaaaaaaaaaaaaaaaaa"));
    }

    [Fact]
    public async Task A_conversation_is_found_with_its_channel_by_its_own_tenant_and_by_no_other()
    {
        await using var frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());
        var owner = await TestUser.SignUpAsync(frontend, company: "Lookup Owner Traders");
        var stranger = await TestUser.SignUpAsync(frontend, company: "Lookup Stranger Co");
        var conversationId = (await SeededTenant.CreateAsync(frontend, owner, "Lookup Owner Traders"))["conversationId"];
        var lookup = frontend.Services.GetRequiredService<ConversationLookup>();

        Assert.True(await lookup.ExistsAsync(owner.TenantId, conversationId));
        Assert.Equal(ChannelKind.WhatsApp, await lookup.ChannelOfAsync(owner.TenantId, conversationId));

        Assert.False(await lookup.ExistsAsync(stranger.TenantId, conversationId));
        Assert.Null(await lookup.ChannelOfAsync(stranger.TenantId, conversationId));
        Assert.False(await lookup.ExistsAsync(owner.TenantId, "cv_aaaaaaaaaaaaaaaaaaaa"));
    }
}
