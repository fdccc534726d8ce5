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
        options.AddOperationTransformer<SecuritySchemesTransformer>();
        options.AddOperationTransformer<ProblemResponsesTransformer>();
        options.AddOperationTransformer<DocumentedInputsTransformer>();
        options.AddOperationTransformer<ParameterDescriptionsTransformer>();
    }
}
