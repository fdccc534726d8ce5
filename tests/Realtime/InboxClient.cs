using System.Text.Json;
using System.Threading.Channels;
using Flexoraa.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Flexoraa.Tests.Realtime;

/// <summary>A real SignalR client of <c>/hubs/inbox</c> over a WebSocket, recording every event it receives in order.</summary>
public sealed class InboxClient : IAsyncDisposable
{
    public static readonly string[] EventNames = ["ConversationUpdated", "MessageReceived", "MessageStatusChanged", "MessageChanged", "AssignmentChanged", "PresenceChanged", "Typing", "MembershipChanged", "LeadChanged", "ImportProgress", "LeadBulkActionProgress"];

    private readonly Channel<(string Name, JsonElement Payload)> _events = Channel.CreateUnbounded<(string, JsonElement)>();

    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private InboxClient(HubConnection connection)
    {
        Connection = connection;
        connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
        foreach (var name in EventNames) connection.On<JsonElement>(name, payload => _events.Writer.TryWrite((name, payload)));
    }

    public HubConnection Connection { get; }

    /// <summary>Completes when the connection closes (the client does not reconnect by itself).</summary>
    public Task Closed => _closed.Task;

    public static Task<InboxClient> ConnectAsync(TestFrontend frontend, string accessToken) => ConnectAsync(frontend.BaseAddress, accessToken);

    public static async Task<InboxClient> ConnectAsync(Uri baseAddress, string accessToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/inbox"), HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken))
            .Build();
        var client = new InboxClient(connection);
        await connection.StartAsync();
        // The server handles invocations only after OnConnectedAsync, so one round trip means the relay is subscribed.
        await client.ResyncAsync(0);
        return client;
    }

    public async Task<JsonElement> ResyncAsync(long lastSequence) => await Connection.InvokeAsync<JsonElement>("Resync", lastSequence);

    public async Task<bool> OpenConversationAsync(string conversationId) => await Connection.InvokeAsync<bool>("OpenConversation", conversationId);

    /// <summary>The next event (of any kind) that matches, skipping others; fails after <paramref name="timeout"/>.</summary>
    public async Task<(string Name, JsonElement Payload)> NextAsync(Func<string, JsonElement, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var (name, payload) = await _events.Reader.ReadAsync(cancel.Token);
                if (match(name, payload)) return (name, payload);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No matching inbox event arrived.");
        }
    }

    public Task<(string Name, JsonElement Payload)> MessageReceivedAsync(string messageId, TimeSpan? timeout = null) =>
        NextAsync((name, payload) => name == "MessageReceived" && payload.GetProperty("externalId").GetString() == messageId, timeout);

    /// <summary>Everything received so far and not yet consumed.</summary>
    public IReadOnlyList<(string Name, JsonElement Payload)> Drain()
    {
        var drained = new List<(string, JsonElement)>();
        while (_events.Reader.TryRead(out var item)) drained.Add(item);
        return drained;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
