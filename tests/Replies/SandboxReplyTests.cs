using System.Net;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Replies;

/// <summary>With <c>Flexoraa:Outbound:Sandbox=true</c>, replies are recorded in <c>sandbox_sends</c> instead of reaching Meta.</summary>
public sealed class SandboxReplyTests(SandboxReplyTests.Host host) : IClassFixture<SandboxReplyTests.Host>
{
    public sealed class Host() : ReplyHost(["--Flexoraa:Outbound:Sandbox=true"]);

    [Fact]
    public async Task A_sandboxed_reply_is_recorded_named_sandbox_and_marked_but_never_reaches_the_graph_api()
    {
        var tenant = await ReplyTenant.CreateAsync(host.Frontend, host.Graph);
        await tenant.CustomerWritesOnWhatsAppAsync("16315551301", DateTimeOffset.UtcNow.AddMinutes(-1));
        var conversation = tenant.WhatsAppConversation("16315551301");

        var (status, view) = await ReplyTests.ReplyAsync(tenant.Owner.Http, conversation, new { text = "Testing locally" });

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.True(view.GetProperty("sandbox").GetBoolean());
        var sent = await ReplyTests.WaitForStatusAsync(tenant.Owner.Http, conversation, view.GetProperty("id").GetInt64(), "sent");
        var externalId = sent.GetProperty("externalId").GetString()!;
        Assert.StartsWith("sandbox.", externalId, StringComparison.Ordinal);
        Assert.True(sent.GetProperty("sandbox").GetBoolean());
        var rows = await OwnerSql.QueryAsync(host.Frontend, "SELECT recipient, external_id, request::text AS request FROM sandbox_sends WHERE tenant_id = @t", ("t", tenant.TenantId));
        var row = Assert.Single(rows);
        Assert.Equal("16315551301", row["recipient"]);
        Assert.Equal(externalId, row["external_id"]);
        Assert.Equal("Testing locally", JsonDocument.Parse((string)row["request"]!).RootElement.GetProperty("payload").GetProperty("text").GetString());
        Assert.DoesNotContain(host.Graph.Sends, s => s.Node == tenant.PhoneNumberId);
    }
}
