using System.Text.Json.Nodes;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// What <see cref="InboxHub.Resync"/> answers: the missed events in order, or <see cref="Reload"/> = true when they are
/// no longer buffered and the client must reload its views (then continue from <see cref="LatestSequence"/>).
/// </summary>
public sealed record ResyncResult(bool Reload, long LatestSequence, IReadOnlyList<JsonObject> Events);
