namespace Flexoraa.FrontendApi.ApiKeys;

/// <summary>Where a page of API keys ends, in list order (newest first).</summary>
public sealed record ApiKeyCursor(DateTimeOffset CreatedAt, string Id);
