using Flexoraa.FrontendApi.Identity;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>
/// Declares the two ways to authenticate (a JWT access token as bearer, or an API key in <c>X-Api-Key</c>) and gives
/// every operation its requirement: either scheme where the endpoint needs a caller, and an explicit empty
/// requirement (<c>security: []</c>) where it allows anonymous callers, so a client generator never has to guess.
/// </summary>
public sealed class SecuritySchemesTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string Bearer = "bearer";
    public const string ApiKey = "apiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The access token from /api/v1/auth/login (or refresh, or sign-up confirmation). An API key may also be sent as 'Authorization: Bearer fxk_…'.",
        };
        document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "A tenant API key (fxk_…) created under /api/v1/tenants/{tenantId}/api-keys; it acts with the role it was given.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Security = [];
        if (!AllowsAnonymous(context))
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKey, context.Document)] = [] });
        }
        return Task.CompletedTask;
    }

    /// <summary>The last word wins, as in the authorization middleware: a group's AllowAnonymous holds for its endpoints.</summary>
    public static bool AllowsAnonymous(OpenApiOperationTransformerContext context) =>
        context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();

    /// <summary>Whether a permission policy guards the endpoint, so an authenticated caller without it gets 403.</summary>
    public static bool RequiresPermission(OpenApiOperationTransformerContext context) =>
        context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any(a => a.Policy is { } policy && PermissionPolicies.Contains(policy));

    private static readonly HashSet<string> PermissionPolicies = [.. Enum.GetValues<Permission>().Select(AuthenticationSetup.PolicyName)];
}
