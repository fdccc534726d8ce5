namespace Flexoraa.FrontendApi.ApiKeys;

/// <summary>An API key as lists show it: never the key itself, only the prefix that tells keys apart.</summary>
public sealed record ApiKeyView(
    string Id,
    string Name,
    string Role,
    string Prefix,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);
