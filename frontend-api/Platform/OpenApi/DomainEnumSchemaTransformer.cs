using System.Text.Json;
using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.Conversations;
using Flexoraa.FrontendApi.Channels;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.FrontendApi.Media;
using Flexoraa.FrontendApi.Team;
using Flexoraa.FrontendApi.Workflow;
using Flexoraa.Media;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>
/// The views carry their domain values as plain strings (the spelling the database and the wire share), so the
/// generator sees <c>string</c>. This lists the values, taken from the same names the views are built from, as
/// <c>enum</c>: a property called <c>channel</c> or <c>role</c> anywhere, and <c>status</c>, <c>kind</c> and
/// <c>direction</c> on the types where each means one thing. Query and path parameters named the same get the same.
/// </summary>
public sealed class DomainEnumSchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly string[] ChannelNames = [.. Enum.GetValues<ChannelKind>().Select(ChannelKindNames.Of)];
    private static readonly string[] RoleNames = [.. Enum.GetValues<TenantRole>().Select(TeamRoles.Name)];
    private static readonly string[] ConversationStatusNames = [.. Enum.GetValues<ConversationStatus>().Select(ConversationStatuses.Name)];
    private static readonly string[] MessageKindNames = [.. Enum.GetValues<MessageKind>().Select(k => JsonNamingPolicy.CamelCase.ConvertName(k.ToString()))];

    /// <summary>A reply is <c>queued</c> until Meta accepts it; then Meta's statuses (an unknown one shows as <c>unknown</c>).</summary>
    private static readonly string[] DeliveryStatusNames = ["queued", .. Enum.GetValues<DeliveryStatus>().Select(s => s.ToString().ToLowerInvariant())];

    private static readonly Dictionary<string, string[]> AnyType = new(StringComparer.Ordinal)
    {
        ["channel"] = ChannelNames,
        ["role"] = RoleNames,
        // The tenant's setting (and each of its earlier ones): PostgreSQL's built-in text search configurations.
        ["searchLanguage"] = [.. SearchLanguages.All.Order(StringComparer.Ordinal)],
    };

    private static readonly Dictionary<(Type, string), string[]> ByType = new()
    {
        [(typeof(ConversationSummaryView), "status")] = ConversationStatusNames,
        [(typeof(ConversationWorkflowView), "status")] = ConversationStatusNames,
        [(typeof(ConversationContact), "profileStatus")] = [.. Flexoraa.Contacts.ContactProfileStatuses.Names],
        [(typeof(MessageView), "direction")] = [.. Enum.GetValues<MessageDirection>().Select(d => JsonNamingPolicy.CamelCase.ConvertName(d.ToString()))],
        [(typeof(MessageView), "kind")] = MessageKindNames,
        [(typeof(MessageDelivery), "status")] = DeliveryStatusNames,
        [(typeof(MediaInfoView), "status")] = [MediaStatuses.Pending, MediaStatuses.Stored, MediaStatuses.Failed, MediaStatuses.Rejected],
        // Media are the attachments of messages, so their kinds are message kinds (image, video, audio, document, sticker).
        [(typeof(MediaInfoView), "kind")] = MessageKindNames,
        [(typeof(ChannelAccountView), "status")] = [ChannelAccountRecord.Active, ChannelAccountRecord.Disconnected],
        [(typeof(InvitationView), "status")] = [InvitationRecord.Pending, InvitationRecord.Accepted, InvitationRecord.Revoked, InvitationRecord.Expired],
        [(typeof(Flexoraa.Leads.Scoring.FitRule), "kind")] = [.. Flexoraa.Leads.Scoring.FitRuleKinds.All],
        [(typeof(Flexoraa.Leads.Scoring.EngagementRule), "event")] = [.. Flexoraa.Leads.Scoring.ScoringRulesCheck.EngagementEvents],
        [(typeof(Flexoraa.Leads.Scoring.ScoreItem), "event")] = [.. Flexoraa.Leads.Scoring.ScoringRulesCheck.EngagementEvents],
    };


    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is not { } type || !type.HasFlag(JsonSchemaType.String) || schema.Enum is { Count: > 0 }) return Task.CompletedTask;
        if (Values(context) is not { } values) return Task.CompletedTask;

        schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        // A nullable property may also be null; an enum without null would forbid it.
        if (type.HasFlag(JsonSchemaType.Null)) schema.Enum.Add(null!);
        return Task.CompletedTask;
    }

    private static string[]? Values(OpenApiSchemaTransformerContext context)
    {
        if (context.JsonPropertyInfo is { } property)
        {
            return ByType.GetValueOrDefault((property.DeclaringType, property.Name)) ?? AnyType.GetValueOrDefault(property.Name);
        }
        // A query or path parameter: only "channel" means the same on every endpoint.
        return context.ParameterDescription?.Name == "channel" ? ChannelNames : null;
    }
}
