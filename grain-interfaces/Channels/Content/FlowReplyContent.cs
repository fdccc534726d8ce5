using System.Collections.Immutable;

namespace Flexoraa.Channels;

/// <summary>
/// A completed WhatsApp Flow (<c>interactive.nfm_reply</c>): the form's answers from Meta's <c>response_json</c> as
/// <see cref="Fields"/>, with the <see cref="FlowToken"/> the business set when it sent the Flow kept apart.
/// <see cref="Name"/> is Meta's name for the reply (<c>flow</c>, <c>address_message</c>), <see cref="Body"/> its text ("Sent").
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.FlowReplyContent")]
public sealed record FlowReplyContent(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Body,
    [property: Id(2)] string? FlowToken,
    [property: Id(3)] ImmutableArray<FlowReplyField> Fields)
{
    internal string? Summary => MessageContent.Join([Body, .. Fields.Select(f => f.Value)]);
}
