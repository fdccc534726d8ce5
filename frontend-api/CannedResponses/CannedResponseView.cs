namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>A canned response as the API returns it; <see cref="Variables"/> are the ones its content uses.</summary>
public sealed record CannedResponseView(
    string Id,
    string Shortcut,
    string? Title,
    string Content,
    IReadOnlyList<string> Variables,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt);
