namespace Flexoraa.Channels;

/// <summary>One answer of a Flow form: a string answer as it is, any other JSON value (number, list, object) as compact JSON.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.FlowReplyField")]
public sealed record FlowReplyField(
    [property: Id(0)] string Name,
    [property: Id(1)] string Value);
