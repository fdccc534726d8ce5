using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flexoraa.Api;

/// <summary>
/// The one JSON configuration of everything a client reads: the REST API, the inbox hub's payloads and the JSON the
/// grains store for the API to return as it is (attachments, content). camelCase names, enums as camelCase strings
/// unless the enum member names its own spelling (<see cref="JsonStringEnumMemberNameAttribute"/>, as
/// <c>whatsapp</c> does), so a value is spelled the same whichever way it travels.
/// </summary>
public static class ApiJson
{
    /// <summary>Frozen (read-only) options for code that serializes outside ASP.NET Core's pipelines.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies this configuration to options a framework owns (minimal APIs' <c>JsonOptions</c>, SignalR's protocol).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        if (!options.Converters.Any(c => c is JsonStringEnumConverter)) options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }

    /// <summary>The spelling of one enum value on the wire, e.g. <c>whatsapp</c>, <c>buttonReply</c>, <c>sdr</c>.</summary>
    public static string NameOf<TEnum>(TEnum value) where TEnum : struct, Enum => JsonSerializer.Serialize(value, Options).Trim('"');

    /// <summary>The enum member whose wire name (<see cref="NameOf"/>) is <paramref name="name"/>, exactly.</summary>
    public static bool TryParse<TEnum>(string? name, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        if (string.IsNullOrEmpty(name) || name.Contains('"') || name.Contains('\\')) return false;
        try
        {
            value = JsonSerializer.Deserialize<TEnum>($"\"{name}\"", Options);
            // The converter also accepts numbers and other casings; only the exact wire name counts.
            return NameOf(value) == name;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Like <see cref="TryParse"/>, for names this system wrote itself (stored columns): an unknown one is a bug.</summary>
    public static TEnum Parse<TEnum>(string name) where TEnum : struct, Enum =>
        TryParse<TEnum>(name, out var value) ? value : throw new InvalidOperationException($"'{name}' is not a {typeof(TEnum).Name}.");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
