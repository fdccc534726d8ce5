using System.Text.Json;
using Flexoraa.FrontendApi.Hosting;
using Flexoraa.Outbound;
using Flexoraa.Silo.Hosting;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Replies;

/// <summary>
/// Local mode as a developer runs it (its own PostgreSQL), with the sandbox setting unset: a channel whose token Meta
/// refuses gets its replies recorded by the sandbox instead of failing, and the banner says the sandbox stands by.
/// </summary>
public sealed class LocalModeSandboxReplyTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "flexoraa-local-sandbox-" + Guid.NewGuid().ToString("N")[..12]);
    private FakeGraphApi _graph = null!;
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _frontend = await TestFrontend.StartLocalAsync(_dataDirectory,
            $"--Flexoraa:Meta:AppSecret={MetaAppFrontend.AppSecret}",
            $"--Flexoraa:Meta:GraphApiBaseUrl={_graph.BaseUrl}",
            $"--Flexoraa:Meta:GraphApiVersion={FakeGraphApi.Version}",
            "--Flexoraa:Meta:GraphApiRetryBaseDelay=00:00:00.020",
            "--Flexoraa:Outbound:RetryBaseDelay=00:00:00.100");
    }

    public async Task DisposeAsync()
    {
        await _frontend.DisposeAsync();
        await _graph.DisposeAsync();
        await new Flexoraa.Silo.Postgres.LocalPostgresServer(Path.Combine(_dataDirectory, "postgres")).StopAsync(immediate: true);
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task In_local_mode_a_reply_whose_token_meta_refuses_goes_to_the_sandbox_and_so_do_the_accounts_next_replies()
    {
        var tenant = await ReplyTenant.CreateAsync(_frontend, _graph, accessToken: "EAAGrevoked0000");
        await tenant.CustomerWritesOnWhatsAppAsync("16315551421", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551421");

        var (_, first) = await ReplyTests.ReplyAsync(tenant.Owner.Http, conversation, new { text = "Hello from my laptop" });

        var sent = await ReplyTests.WaitForStatusAsync(tenant.Owner.Http, conversation, first.GetProperty("id").GetInt64(), "sent");
        Assert.StartsWith(SandboxSender.IdPrefix, sent.GetProperty("externalId").GetString(), StringComparison.Ordinal);
        Assert.True(sent.GetProperty("sandbox").GetBoolean());
        var refused = Assert.Single(_graph.Sends, s => s.Node == tenant.PhoneNumberId);
        Assert.Equal(401, refused.Status);
        var rows = await OwnerSql.QueryAsync(_frontend, "SELECT external_id, request::text AS request FROM sandbox_sends WHERE tenant_id = @t", ("t", tenant.TenantId));
        Assert.Equal(sent.GetProperty("externalId").GetString(), Assert.Single(rows)["external_id"]);
        Assert.Equal("Hello from my laptop", JsonDocument.Parse((string)rows[0]["request"]!).RootElement.GetProperty("payload").GetProperty("text").GetString());

        // The account is known to be refused now: the next reply is a sandbox reply from the start and Meta is not asked again.
        var (_, second) = await ReplyTests.ReplyAsync(tenant.Owner.Http, conversation, new { text = "And again" });
        Assert.True(second.GetProperty("sandbox").GetBoolean());
        await ReplyTests.WaitForStatusAsync(tenant.Owner.Http, conversation, second.GetProperty("id").GetInt64(), "sent");
        Assert.Single(_graph.Sends, s => s.Node == tenant.PhoneNumberId);
    }

    [Fact]
    public void The_banner_says_when_the_sandbox_is_active_or_standing_by_and_says_nothing_in_cluster_mode()
    {
        var policy = _frontend.Services.GetRequiredService<SandboxPolicy>();
        var local = new StartupBanner(RunMode.Local, true, ["http://127.0.0.1:5080"], _dataDirectory, HasSmtp: true, policy.BannerText).ToString();
        Assert.Contains("sandbox on standby", local, StringComparison.Ordinal);
        Assert.Contains("NOT delivered", local, StringComparison.Ordinal);

        var on = new SandboxPolicy(Microsoft.Extensions.Options.Options.Create(new OutboundSettings { Sandbox = true }), false,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SandboxPolicy>.Instance);
        Assert.StartsWith("SANDBOX ACTIVE", on.BannerText, StringComparison.Ordinal);
        var cluster = new SandboxPolicy(Microsoft.Extensions.Options.Options.Create(new OutboundSettings()), false,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SandboxPolicy>.Instance);
        Assert.Null(cluster.BannerText);
        Assert.DoesNotContain("sandbox", new StartupBanner(RunMode.Cluster, true, ["http://10.0.0.1"], "/data", true, cluster.BannerText).ToString(),
            StringComparison.OrdinalIgnoreCase);
    }
}
