using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Flexoraa.Tests.Replies;

/// <summary>
/// A reply outlives its host, but never at the price of a second send: Meta has no idempotency key for sends, so an
/// attempt that was cut off before Meta answered cannot be known to have failed, and the next host marks it failed as
/// interrupted instead of sending it again. Reminders here may tick every second (production's minimum is a minute).
/// </summary>
public sealed class ReplyRestartTests : IAsyncLifetime
{
    private FakeGraphApi _graph = null!;
    private string _connectionString = null!;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "flexoraa-reply-restart-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _connectionString = await TestPostgres.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        _graph.HoldSends?.TrySetResult();
        await _graph.DisposeAsync();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    private Task<TestFrontend> StartHostAsync() =>
        TestFrontend.StartAsync(_connectionString, _dataDirectory, null,
            builder => builder.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1)),
            $"--Flexoraa:Meta:AppSecret={MetaAppFrontend.AppSecret}",
            $"--Flexoraa:Meta:GraphApiBaseUrl={_graph.BaseUrl}",
            $"--Flexoraa:Meta:GraphApiVersion={FakeGraphApi.Version}",
            "--Flexoraa:Outbound:ReminderPeriod=00:00:01");

    [Fact]
    public async Task A_reply_cut_off_while_meta_was_answering_is_failed_as_interrupted_by_the_next_host_and_never_sent_again()
    {
        var contact = "16315551999";
        string conversation;
        long id;
        TestUser owner;
        string phoneNumberId;
        await using (var first = await StartHostAsync())
        {
            var tenant = await ReplyTenant.CreateAsync(first, _graph);
            owner = tenant.Owner;
            phoneNumberId = tenant.PhoneNumberId;
            await tenant.CustomerWritesOnWhatsAppAsync(contact, DateTimeOffset.UtcNow.AddMinutes(-2));
            conversation = tenant.WhatsAppConversation(contact);

            // Meta receives the send but its answer never reaches this host: the host stops while it waits.
            _graph.HoldSends = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var response = await owner.Http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { text = "On its way." });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            await Eventually.Get(() => Task.FromResult(_graph.Sends.Count(s => s.Node == phoneNumberId)), n => n == 1,
                TimeSpan.FromSeconds(20), "the send to reach the fake Graph API");
        }
        _graph.HoldSends.TrySetResult();
        _graph.HoldSends = null;

        await using var second = await StartHostAsync();
        var http = second.NewClient();
        http.DefaultRequestHeaders.Authorization = owner.Http.DefaultRequestHeaders.Authorization;
        var failed = await Eventually.Get(
            () => http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation}/messages/{id}"),
            m => m.GetProperty("status").ValueKind == JsonValueKind.Object && m.GetProperty("status").GetProperty("status").GetString() == "failed",
            TimeSpan.FromSeconds(45), "the next host to settle the interrupted reply");

        Assert.Equal(-1, failed.GetProperty("status").GetProperty("errorCode").GetInt32());
        Assert.Contains("nterrupted", failed.GetProperty("status").GetProperty("errorTitle").GetString());
        // Give a wrongly resent reply every chance to show up before counting.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(_graph.Sends, s => s.Node == phoneNumberId);
    }
}
