namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// Whether this host holds a tenant's <c>tenant-updates</c> subscription, and which one: <see cref="Epoch"/> moves each
/// time the subscription is taken, dropped or replaced (see <see cref="TenantUpdatesSubscriptions.StateOf"/>).
/// </summary>
public readonly record struct RelayState(bool Relaying, long Epoch);
