using System.Collections.Immutable;

namespace Flexoraa.Tenants;

/// <summary>What the AI agent may do for this tenant and when it must hand over to a human.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.AiReplySettings")]
public sealed record AiReplySettings(
    [property: Id(0)] AiReplyMode Mode,
    [property: Id(1)] string? Persona,
    [property: Id(2)] ImmutableArray<string> HandoffKeywords,
    [property: Id(3)] bool OnlyOutsideBusinessHours)
{
    public static AiReplySettings Default { get; } = new(AiReplyMode.Off, null, ["human", "agent", "complaint"], false);
}
