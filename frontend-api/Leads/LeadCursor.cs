namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// Where a page of the lead list ends, in the list's order: the sort it was issued for (a cursor of another sort is
/// refused), the sort key (<see cref="At"/> for created/updated, <see cref="Name"/> for name, <see cref="Score"/> for
/// score), then the id.
/// </summary>
public sealed record LeadCursor(string Sort, DateTimeOffset? At, string Name, string Id, int? Score = null);
