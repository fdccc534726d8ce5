namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>The composer's '/' menu: up to ten responses whose shortcut starts with what was typed, by shortcut.</summary>
public sealed record CannedResponseSuggestions(IReadOnlyList<CannedResponseView> Items);
