namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>Where a page of canned responses ends: shortcuts are unique per tenant, so the last one is enough.</summary>
public sealed record CannedResponseCursor(string Shortcut);
