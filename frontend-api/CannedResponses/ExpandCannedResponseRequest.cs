namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>The body of <c>POST /api/v1/conversations/{id}/canned-responses/expand</c>: the composer's text, starting with <c>/shortcut</c>.</summary>
public sealed record ExpandCannedResponseRequest(string? Text);
