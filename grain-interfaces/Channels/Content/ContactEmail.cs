namespace Flexoraa.Channels;

/// <summary>An email address of a shared contact.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ContactEmail")]
public sealed record ContactEmail(
    [property: Id(0)] string? Email,
    [property: Id(1)] string? Type);
