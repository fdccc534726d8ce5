namespace Flexoraa.FrontendApi.ApiKeys;

/// <summary>
/// <c>POST /api/v1/tenants/{tenantId}/api-keys</c>. The role is a string (<c>owner</c>, <c>admin</c>, <c>sdr</c>, <c>member</c>)
/// so that a wrong value gets a 400 naming <c>role</c> rather than a JSON binding error.
/// </summary>
public sealed record CreateApiKeyRequest(string? Name, string? Role);
