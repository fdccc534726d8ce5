namespace Flexoraa.FrontendApi.Channels;

/// <summary>The sort key of <c>GET /api/v1/channels</c> pages, carried in the cursor.</summary>
public sealed record ChannelPageKey(DateTimeOffset CreatedAt, string Id);
