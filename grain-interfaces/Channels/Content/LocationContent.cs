using System.Globalization;

namespace Flexoraa.Channels;

/// <summary>A shared location pin; <see cref="MapUrl"/> opens it in a map whatever the device.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.LocationContent")]
public sealed record LocationContent(
    [property: Id(0)] double Latitude,
    [property: Id(1)] double Longitude,
    [property: Id(2)] string? Name,
    [property: Id(3)] string? Address,
    [property: Id(4)] string? Url)
{
    /// <summary>Google Maps' documented cross-platform search URL for the coordinates.</summary>
    public string MapUrl => string.Create(CultureInfo.InvariantCulture, $"https://www.google.com/maps/search/?api=1&query={Latitude:R},{Longitude:R}");

    internal string? Summary => MessageContent.Join(Name, Address) ?? string.Create(CultureInfo.InvariantCulture, $"{Latitude:R}, {Longitude:R}");
}
