using System.Security.Cryptography;
using Flexoraa.Silo.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Flexoraa.FrontendApi.Identity;

/// <summary>
/// Resolves the key that signs access tokens. Configured keys win. Local mode otherwise generates one and keeps it in its
/// data directory, so tokens survive a restart; cluster mode refuses to guess, because every frontend must share one key.
/// </summary>
public static class SigningKeyProvider
{
    public static SymmetricSecurityKey Resolve(AuthSettings settings, FlexoraaDatabase database, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(settings.SigningKey)) return FromBase64(settings.SigningKey);

        if (database.Mode != RunMode.Local)
        {
            throw new StartupConfigurationException(
                "Cluster mode needs Flexoraa:Auth:SigningKey (base64, at least 32 random bytes) so that every frontend signs and checks tokens alike. " +
                "Generate one with: openssl rand -base64 48");
        }

        var path = Path.Combine(database.DataDirectory, "auth", "jwt-signing.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        logger.LogWarning("Using the development token signing key at {Path}; set Flexoraa:Auth:SigningKey in production", path);
        return FromBase64(File.ReadAllText(path).Trim());
    }

    private static SymmetricSecurityKey FromBase64(string value)
    {
        var bytes = Convert.FromBase64String(value);
        if (bytes.Length < 32) throw new StartupConfigurationException("Flexoraa:Auth:SigningKey must decode to at least 32 bytes.");
        return new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexString(SHA256.HashData(bytes))[..16] };
    }
}
