using System.Security.Cryptography;
using System.Text;

namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>A short, non-reversible name for an app secret, stored in routes instead of the secret itself.</summary>
public static class AppSecretFingerprint
{
    public static string Of(string appSecret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(appSecret)))[..16].ToLowerInvariant();
}
