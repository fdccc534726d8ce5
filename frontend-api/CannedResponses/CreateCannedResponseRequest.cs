namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>The body of <c>POST /api/v1/canned-responses</c>.</summary>
public sealed record CreateCannedResponseRequest(string? Shortcut, string? Content, string? Title);
