using Microsoft.AspNetCore.OpenApi;

namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>
/// The rules that complete the generated OpenAPI document, so an endpoint states only what no rule can know
/// (a 409, a multipart form, a header it reads by hand) and every new endpoint is described like the others.
/// </summary>
public static class FlexoraaOpenApi
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer<SecuritySchemesTransformer>();
        options.AddDocumentTransformer<ProblemResponsesTransformer>();
        options.AddOperationTransformer<SecuritySchemesTransformer>();
        // Before the problem responses: a documented form is a request body, which can be too large (413).
        options.AddOperationTransformer<DocumentedInputsTransformer>();
        options.AddOperationTransformer<ParameterDescriptionsTransformer>();
        options.AddOperationTransformer<ProblemResponsesTransformer>();
        options.AddSchemaTransformer<IntegerSchemaTransformer>();
        options.AddSchemaTransformer<DomainEnumSchemaTransformer>();
    }
}
