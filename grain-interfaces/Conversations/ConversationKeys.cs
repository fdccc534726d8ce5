using System.Security.Cryptography;
using System.Text;

namespace Flexoraa.Conversations;

/// <summary>
/// A conversation is one contact on one channel account of one tenant. Its id is derived from those three, so every
/// webhook for the same contact lands on the same grain and stream without any look-up.
/// </summary>
public static class ConversationKeys
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string ConversationId(string channelAccountId, string contactId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{channelAccountId}\n{contactId}"));
        var id = new StringBuilder("cv_", 23);
        for (var i = 0; i < 20; i++) id.Append(Alphabet[hash[i] % Alphabet.Length]);
        return id.ToString();
    }

    /// <summary>The grain and stream key: <c>{tenantId}/{conversationId}</c>.</summary>
    public static string GrainKey(string tenantId, string conversationId) => $"{tenantId}/{conversationId}";

    public static string GrainKey(string tenantId, string channelAccountId, string contactId) =>
        GrainKey(tenantId, ConversationId(channelAccountId, contactId));

    public static (string TenantId, string ConversationId) Parse(string grainKey)
    {
        var slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == grainKey.Length - 1) throw new ArgumentException($"'{grainKey}' is not a conversation key.", nameof(grainKey));
        return (grainKey[..slash], grainKey[(slash + 1)..]);
    }
}
