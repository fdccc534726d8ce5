namespace Flexoraa.FrontendApi.Leads;

/// <summary>The body of <c>POST /api/v1/leads/{id}/merge</c>: the lead to merge into the one in the path, which stays.</summary>
public sealed record MergeLeadRequest(string? SourceLeadId);
