using System.Text.Json;
using System.Text.Json.Nodes;
using Flexoraa.Api;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.Realtime;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// The JSON a client receives for one update: the update's own fields in <see cref="ApiJson"/>'s spelling (the REST
/// API's) plus <c>sequence</c> and <c>type</c>, so a resync's list and the live calls have one shape. A
/// <see cref="MessageReceived"/> is the REST API's <see cref="MessageView"/> itself plus the conversation and contact; a
/// <see cref="MessageStatusChanged"/> names the message and its status as that view does (<see cref="MessageStatusView"/>);
/// a <see cref="ConversationUpdated"/> speaks the REST conversation's words (<see cref="ConversationUpdatedView"/>).
/// </summary>
public static class InboxEventPayload
{
    public static JsonObject From(SequencedUpdate sequenced)
    {
        var json = sequenced.Update switch
        {
            MessageReceived received => Message(received),
            MessageStatusChanged changed => JsonSerializer.SerializeToNode(MessageStatusView.From(changed), ApiJson.Options)!.AsObject(),
            ConversationUpdated updated => JsonSerializer.SerializeToNode(ConversationUpdatedView.From(updated), ApiJson.Options)!.AsObject(),
            var update => JsonSerializer.SerializeToNode(update, update.GetType(), ApiJson.Options)!.AsObject(),
        };
        json["sequence"] = sequenced.Sequence;
        json["type"] = InboxClientMethods.For(sequenced.Update);
        return json;
    }

    private static JsonObject Message(MessageReceived received)
    {
        var json = JsonSerializer.SerializeToNode(MessageView.From(received), ApiJson.Options)!.AsObject();
        json["tenantId"] = received.TenantId;
        json["conversationId"] = received.ConversationId;
        json["channel"] = ApiJson.NameOf(received.Channel);
        json["contactId"] = received.ContactId;
        json["contactName"] = received.ContactName;
        return json;
    }
}
