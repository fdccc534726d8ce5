using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Flexoraa.FrontendApi.Identity;

/// <summary>
/// Opaque secrets (refresh tokens, API keys, invitation and sign-up links): 256 random bits behind a readable prefix.
/// Only their SHA-256 is stored, so a database leak does not hand out working credentials.
/// </summary>
public static class OpaqueTokens
{
    public static string New(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static string NewId(string prefix) => prefix + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 16);
}
