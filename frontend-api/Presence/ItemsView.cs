namespace Flexoraa.FrontendApi.Presence;

/// <summary>A whole, unpaginated list (bounded by the tenant's members): <c>{ items }</c>.</summary>
public sealed record ItemsView<T>(IReadOnlyList<T> Items);
