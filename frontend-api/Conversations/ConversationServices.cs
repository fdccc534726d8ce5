using Flexoraa.FrontendApi.CannedResponses;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.FrontendApi.Platform;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>
/// What the <see cref="ConversationsApi"/> handlers need from DI, bound as one <c>[AsParameters]</c> argument (eShop's
/// <c>CatalogServices</c>), so a handler's signature shows its request, not its plumbing.
/// </summary>
public sealed class ConversationServices(
    ConversationLookup lookup,
    ConversationInbox inbox,
    CannedResponseStore cannedResponses,
    CannedResponseExpansion cannedResponseExpansion,
    IGrainFactory grains,
    TimeProvider clock,
    CursorCodec cursors)
{
    public ConversationLookup Lookup { get; } = lookup;
    public ConversationInbox Inbox { get; } = inbox;
    public CannedResponseStore CannedResponses { get; } = cannedResponses;
    public CannedResponseExpansion CannedResponseExpansion { get; } = cannedResponseExpansion;
    public IGrainFactory Grains { get; } = grains;
    public TimeProvider Clock { get; } = clock;
    public CursorCodec Cursors { get; } = cursors;
}
