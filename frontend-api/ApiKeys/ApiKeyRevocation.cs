namespace Flexoraa.FrontendApi.ApiKeys;

/// <summary>What became of a request to revoke an API key.</summary>
public enum ApiKeyRevocation
{
    Revoked,
    AlreadyRevoked,
    NotFound,
    /// <summary>The key has a higher role than the caller, who could not have created it either.</summary>
    OutranksCaller,
}
