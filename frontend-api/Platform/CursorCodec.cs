using System.Buffers.Text;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// Makes page cursors opaque and tamper-evident: <c>base64url(json) "." base64url(HMAC-SHA256)</c>, the MAC taken over
/// the cursor's kind and its JSON, so a cursor is only ever accepted by the list that issued it, unchanged. The key is
/// derived (HKDF) from the token signing key, so every frontend of a deployment accepts every other's cursors without
/// another secret to configure, and a cursor MAC can never be mistaken for a token signature.
/// </summary>
public sealed class CursorCodec
{
    private const int MacBytes = 16;
    private static readonly byte[] KeyPurpose = "flexoraa/page-cursor/v1"u8.ToArray();
    private readonly byte[] _key;

    public CursorCodec(byte[] key)
    {
        if (key.Length < 32) throw new ArgumentException("A cursor key is at least 32 bytes.", nameof(key));
        _key = key;
    }

    public static CursorCodec FromSigningKey(SymmetricSecurityKey signingKey) =>
        new(HKDF.DeriveKey(HashAlgorithmName.SHA256, signingKey.Key, 32, salt: [], info: KeyPurpose));

    public string Encode<TKey>(TKey key)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(key, CursorJson.Options);
        return $"{Base64Url.EncodeToString(json)}.{Base64Url.EncodeToString(Mac<TKey>(json))}";
    }

    /// <summary>The key, or false when the cursor was not issued by this deployment for a <typeparamref name="TKey"/> list.</summary>
    public bool TryDecode<TKey>(string cursor, out TKey key) where TKey : class
    {
        key = null!;
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != cursor.LastIndexOf('.')) return false;
        try
        {
            var json = Base64Url.DecodeFromChars(cursor.AsSpan(0, dot));
            var mac = Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(mac, Mac<TKey>(json))) return false;
            if (JsonSerializer.Deserialize<TKey>(json, CursorJson.Options) is not { } decoded || !IsWellFormed(decoded)) return false;
            key = decoded;
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or NotSupportedException)
        {
            return false;
        }
    }

    private byte[] Mac<TKey>(byte[] json)
    {
        var kind = Encoding.UTF8.GetBytes(typeof(TKey).FullName + "\n");
        byte[] message = [.. kind, .. json];
        return HMACSHA256.HashData(_key, message)[..MacBytes];
    }

    /// <summary>
    /// Even a cursor with a valid MAC is checked: every text field present, every time in UTC, as the queries expect.
    /// A cursor that fails this is a bug of ours, refused rather than sent to the database.
    /// </summary>
    private static bool IsWellFormed(object key)
    {
        foreach (var property in key.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(key);
            if (property.PropertyType == typeof(string) && value is null) return false;
            if (value is DateTimeOffset time && time.Offset != TimeSpan.Zero) return false;
            if (value is float f && !float.IsFinite(f)) return false;
        }
        return true;
    }
}
