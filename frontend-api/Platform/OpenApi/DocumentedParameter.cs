using Microsoft.OpenApi;

namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>
/// Endpoint metadata for a header or query parameter that the handler reads from the request by hand (so the
/// framework cannot see it), such as <c>Idempotency-Key</c> or Meta's <c>X-Hub-Signature-256</c>.
/// </summary>
public sealed record DocumentedParameter(string Name, ParameterLocation In, string Description, bool Required = false);
