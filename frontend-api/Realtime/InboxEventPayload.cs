using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Flexoraa.Realtime;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// The JSON a client receives for one update: the update's own fields (camelCase, enums as camelCase strings) plus
/// <c>sequence</c> and <c>type</c>, so a resync's list and the live calls have one shape.
/// </summary>
public static class InboxEventPayload
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static JsonObject From(SequencedUpdate sequenced)
    {
        var json = JsonSerializer.SerializeToNode(sequenced.Update, sequenced.Update.GetType(), Options)!.AsObject();
        json["sequence"] = sequenced.Sequence;
        json["type"] = InboxClientMethods.For(sequenced.Update);
        return json;
    }
}
