using System.Security.Cryptography;
using System.Text;
using Flexoraa.Channels;

namespace Flexoraa.Media;

/// <summary>
/// A media object's id is derived from its tenant, channel and source (the WhatsApp media id, or the Messenger /
/// Instagram attachment URL), so every delivery of the same media names the same row and grain without a look-up,
/// and the conversation knows the ids before the insert commits.
/// </summary>
public static class MediaObjectIds
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string For(string tenantId, ChannelKind channel, string source)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{channel}\n{source}"));
        var id = new StringBuilder("md_", 27);
        for (var i = 0; i < 24; i++) id.Append(Alphabet[hash[i] % Alphabet.Length]);
        return id.ToString();
    }

    /// <summary>The <see cref="IMediaFetchGrain"/> key: <c>{tenantId}/{mediaObjectId}</c>.</summary>
    public static string GrainKey(string tenantId, string mediaObjectId) => $"{tenantId}/{mediaObjectId}";

    public static (string TenantId, string MediaObjectId) Parse(string grainKey)
    {
        var slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == grainKey.Length - 1) throw new ArgumentException($"'{grainKey}' is not a media object key.", nameof(grainKey));
        return (grainKey[..slash], grainKey[(slash + 1)..]);
    }
}
