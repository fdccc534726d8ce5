using System.Net.Http.Json;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Presence;

/// <summary>Reads <c>GET /api/v1/presence</c> the way a dashboard does.</summary>
public static class PresenceApi
{
    public static async Task<JsonElement> EntryAsync(TestUser viewer, string userId)
    {
        var page = await viewer.Http.GetFromJsonAsync<JsonElement>("/api/v1/presence");
        return page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("userId").GetString() == userId);
    }

    public static async Task<string> OfAsync(TestUser viewer, string userId) =>
        (await EntryAsync(viewer, userId)).GetProperty("presence").GetString()!;

    /// <summary>Presence changes are applied before the hub call returns, but a lease ends on the grain's timer: poll.</summary>
    public static Task<string> BecomesAsync(TestUser viewer, string userId, string presence, TimeSpan? timeout = null) =>
        Eventually.Get(() => OfAsync(viewer, userId), p => p == presence, timeout ?? TimeSpan.FromSeconds(15), $"{userId} to be {presence}");
}
