using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>
/// Gives every operation the error responses that follow from how it is mapped, each an RFC 7807 problem:
/// 400 always (the edge input check and the binder refuse bad input anywhere), 401 unless anonymous, 403 under a
/// permission policy, 404 where the path names a resource, 413 where there is a body, 429 where a rate limiter
/// applies (every authenticated call, and anonymous ones with a policy), 503 everywhere (the database or the cluster
/// did not answer; retry). What no rule can know (409, 422, a webhook's 401) the endpoint declares with
/// <c>ProducesProblem</c>; this transformer then only adds the problem body and a description to it.
/// </summary>
public sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer, IOpenApiDocumentTransformer
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "HttpValidationProblemDetails";
    public const string ProblemContentType = "application/problem+json";

    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [400] = "The request is malformed or a field is invalid; 'errors' names each field with its problem.",
        [401] = "No valid access token or API key was sent.",
        [403] = "The caller's role does not allow this here.",
        [404] = "No such resource in the caller's tenant.",
        [409] = "The resource is not in a state that allows this.",
        [412] = "If-Match does not name the resource's current version; the ETag header carries the current one: read it again and retry.",
        [413] = "The request body is larger than this endpoint accepts.",
        [415] = "The request body has a content type this endpoint does not read.",
        [422] = "The request is well-formed but cannot be carried out.",
        [428] = "This write needs an If-Match header with the ETag of the version it was made against.",
        [429] = "Too many requests; wait for the seconds in Retry-After.",
        [503] = "The database or the cluster did not answer; retry after the seconds in Retry-After.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var anonymous = SecuritySchemesTransformer.AllowsAnonymous(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var rateLimited = !anonymous || metadata.OfType<EnableRateLimitingAttribute>().Any();

        var statuses = new SortedSet<int> { 400, 503 };
        if (!anonymous) statuses.Add(401);
        if (SecuritySchemesTransformer.RequiresPermission(context)) statuses.Add(403);
        if (context.Description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path)) statuses.Add(404);
        if (operation.RequestBody is not null) statuses.Add(413);
        if (rateLimited) statuses.Add(429);

        operation.Responses ??= new OpenApiResponses();
        foreach (var status in statuses)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key)) operation.Responses[key] = new OpenApiResponse();
        }
        foreach (var (key, response) in operation.Responses.ToList())
        {
            if (!int.TryParse(key, System.Globalization.CultureInfo.InvariantCulture, out var status) || status < 400) continue;
            operation.Responses[key] = Problem(status, response, context.Document!);
        }
        return Task.CompletedTask;
    }

    /// <summary>The operations refer to the problem schemas by name, so they must exist even if no endpoint names them itself.</summary>
    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(ProblemSchema))
        {
            document.Components.Schemas[ProblemSchema] = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), cancellationToken: cancellationToken);
        }
        if (!document.Components.Schemas.ContainsKey(ValidationProblemSchema))
        {
            document.Components.Schemas[ValidationProblemSchema] = await context.GetOrCreateSchemaAsync(typeof(HttpValidationProblemDetails), cancellationToken: cancellationToken);
        }
    }

    /// <summary>The response with a problem body and a description; a 400 says which fields, so it is the validation shape.</summary>
    private static OpenApiResponse Problem(int status, IOpenApiResponse existing, OpenApiDocument document)
    {
        var schema = status == 400 ? ValidationProblemSchema : ProblemSchema;
        var response = existing as OpenApiResponse ?? new OpenApiResponse();
        response.Description = string.IsNullOrEmpty(response.Description) || response.Description == ReasonPhrase(status)
            ? Descriptions.GetValueOrDefault(status, ReasonPhrase(status))
            : response.Description;
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        // Whatever the framework guessed (often application/json, or nothing), the body is a problem document.
        response.Content.Clear();
        response.Content[ProblemContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(schema, document) };
        if (status is 429 or 503)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before retrying.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            };
        }
        return response;
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
