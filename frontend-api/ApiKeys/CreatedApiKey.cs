namespace Flexoraa.FrontendApi.ApiKeys;

/// <summary>The answer to creating a key: the only time <see cref="Key"/> is ever shown, since only its hash is stored.</summary>
public sealed record CreatedApiKey(
    string Id,
    string Name,
    string Role,
    string Prefix,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string Key);
