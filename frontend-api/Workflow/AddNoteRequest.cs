namespace Flexoraa.FrontendApi.Workflow;

/// <summary>The body of <c>POST /api/v1/conversations/{id}/notes</c>.</summary>
public sealed record AddNoteRequest(string? Body);
