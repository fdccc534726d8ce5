namespace Flexoraa.FrontendApi.Identity;

/// <summary>Claim names in Flexoraa's access tokens and authenticated principals.</summary>
public static class FlexoraaClaims
{
    public const string UserId = "sub";
    public const string TenantId = "tid";
    public const string Role = "role";
    public const string Email = "email";
    public const string Name = "name";
    public const string ApiKeyId = "akid";
}
