namespace Flexoraa.Channels;

/// <summary>A phone number of a shared contact; <see cref="WaId"/> is set when the number is on WhatsApp.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ContactPhone")]
public sealed record ContactPhone(
    [property: Id(0)] string? Phone,
    [property: Id(1)] string? WaId,
    [property: Id(2)] string? Type);
